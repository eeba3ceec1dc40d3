import { formatTimestamp } from '@challenges/core';
import { z } from 'zod';

/** What a value becomes on the wire: dates as RFC 3339 strings, like every other answer. */
export type Jsonified<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

export function jsonified<T>(value: T): Jsonified<T> {
  if (value instanceof Date) return formatTimestamp(value) as Jsonified<T>;
  if (Array.isArray(value)) return value.map(jsonified) as Jsonified<T>;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = jsonified(v);
    return out as Jsonified<T>;
  }
  return value as Jsonified<T>;
}

/**
 * Output schema for the definition store's answers: their shapes belong to that module (typed
 * through Jsonified); the check here is that what leaves is plain JSON (no Date, no class).
 */
export function ZJsonOutput<T>() {
  return z.custom<Jsonified<T>>((value) => {
    try {
      return JSON.stringify(JSON.parse(JSON.stringify(value))) === JSON.stringify(value);
    } catch {
      return false;
    }
  });
}
