// A field-by-field comparison of two definitions files that also works on drafts that do not
// validate (conflicts and imports are compared before anything is checked). Array items that
// carry a challengeId or goalId are matched by it, so a reorder or an insert does not show as
// every later item changed.

export interface ContentChange {
  path: string;
  before: string | undefined;
  after: string | undefined;
}

function keyOf(item: unknown, index: number): string {
  if (typeof item === 'object' && item !== null) {
    const { goalId, challengeId } = item as { goalId?: unknown; challengeId?: unknown };
    const id = goalId ?? challengeId;
    if (typeof id === 'string' || typeof id === 'number') return String(id);
  }
  return `#${index}`;
}

function flatten(value: unknown, path: string, out: Map<string, string>): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(path, '[]');
    for (const [index, item] of value.entries()) {
      flatten(item, `${path}[${keyOf(item, index)}]`, out);
    }
  } else if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) out.set(path, '{}');
    for (const [key, item] of entries) flatten(item, path ? `${path}.${key}` : key, out);
  } else {
    out.set(path, JSON.stringify(value));
  }
}

/** Every leaf that differs, in the order of `after` and then what only `before` has. */
export function diffContent(before: unknown, after: unknown): ContentChange[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(before, '', a);
  flatten(after, '', b);
  const changes: ContentChange[] = [];
  for (const [path, value] of b) {
    if (a.get(path) !== value) changes.push({ path, before: a.get(path), after: value });
  }
  for (const [path, value] of a) {
    if (!b.has(path)) changes.push({ path, before: value, after: undefined });
  }
  return changes;
}
