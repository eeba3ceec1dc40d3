/**
 * A count with its noun, singular for exactly one: `plural(1, 'goal')` is "1 goal",
 * `plural(3, 'process', 'processes')` is "3 processes".
 */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
