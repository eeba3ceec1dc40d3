import { isRecord } from './definitions.schema.ts';

/** Bounds the walk: a definitions file is a few levels deep, anything deeper is hostile. */
const MAX_DEPTH = 32;

function toCamel(key: string): string {
  return key.replace(/_+([a-z0-9])/g, (_match, char: string) => char.toUpperCase());
}

/**
 * Copies a parsed JSON value with snake_case keys renamed to camelCase (a camelCase key present
 * as well wins) and `null` members dropped, because Go's encoder writes nil slices and pointers
 * as `null` where our schema expects the key to be absent.
 */
export function normalizeKeys(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => normalizeKeys(item, depth + 1));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    // A JSON "__proto__" key would replace the copy's prototype when assigned.
    if (member === null || key === '__proto__') continue;
    const camel = toCamel(key);
    if (camel !== key && Object.hasOwn(value, camel)) continue;
    out[camel] = normalizeKeys(member, depth + 1);
  }
  return out;
}
