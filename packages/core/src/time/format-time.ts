/**
 * RFC 3339 in UTC with seconds precision (`2026-01-02T03:04:05Z`), the one timestamp shape of
 * every response; `""` when unset, as the original service answers for empty timestamps.
 */
export function formatTimestamp(date: Date | null): string {
  if (date === null) return '';
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Formats runs of equal timestamps (rows written by one call) once: a per-response memo. */
export function timestampFormatter(): (date: Date | null) => string {
  let lastMs = Number.NaN;
  let last = '';
  return (date) => {
    if (date === null) return '';
    const ms = date.getTime();
    if (ms !== lastMs) {
      lastMs = ms;
      last = formatTimestamp(date);
    }
    return last;
  };
}
