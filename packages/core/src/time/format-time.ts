/**
 * RFC 3339 in UTC with seconds precision (`2026-01-02T03:04:05Z`), the one timestamp shape of
 * every response; `""` when unset, as the original service answers for empty timestamps.
 */
export function formatTimestamp(date: Date | null): string {
  if (date === null) return '';
  return `${date.toISOString().slice(0, 19)}Z`;
}
