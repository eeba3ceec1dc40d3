/**
 * Exponential backoff with full jitter (a uniform delay in [0, min(cap, base·2^(n−1)))): retries
 * of many grants that failed together spread out instead of hitting a recovering backend at once.
 */
export function backoffDelayMs(options: {
  attempt: number;
  baseMs: number;
  capMs: number;
  random: () => number;
}): number {
  const exponent = Math.min(Math.max(options.attempt - 1, 0), 30);
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** exponent);
  return Math.floor(options.random() * ceiling);
}
