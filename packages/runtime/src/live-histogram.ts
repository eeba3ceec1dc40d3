/**
 * Upper bounds (ms) of the live latency buckets: ~20 % apart between 0.1 ms and 10 s, so a
 * percentile read from them is off by at most one bucket width. Recording is an index search
 * over 48 numbers and an increment — cheap enough for every request of the hot path.
 */
export const LIVE_BUCKETS_MS: readonly number[] = (() => {
  const bounds: number[] = [];
  for (let b = 0.1; b < 10_000; b *= 1.3) bounds.push(Number(b.toPrecision(3)));
  bounds.push(10_000, Number.POSITIVE_INFINITY);
  return bounds;
})();

/** A fixed-bucket histogram of one second (or any interval), reset by its reader. */
export class LiveHistogram {
  readonly counts = new Uint32Array(LIVE_BUCKETS_MS.length);
  count = 0;

  record(ms: number): void {
    let lo = 0;
    let hi = LIVE_BUCKETS_MS.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ms <= (LIVE_BUCKETS_MS[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    this.counts[lo] = (this.counts[lo] ?? 0) + 1;
    this.count += 1;
  }

  add(other: LiveHistogram): void {
    for (let i = 0; i < this.counts.length; i += 1) {
      this.counts[i] = (this.counts[i] ?? 0) + (other.counts[i] ?? 0);
    }
    this.count += other.count;
  }

  /** Counts of the buckets that have any, as [index, count]: a compact form to publish. */
  nonEmpty(): Array<[number, number]> {
    const pairs: Array<[number, number]> = [];
    this.counts.forEach((n, i) => {
      if (n > 0) pairs.push([i, n]);
    });
    return pairs;
  }

  /** Adds published [index, count] pairs (of any number of points and processes). */
  addPairs(pairs: ReadonlyArray<readonly [number, number]>): void {
    for (const [i, n] of pairs) {
      if (i < 0 || i >= this.counts.length) continue;
      this.counts[i] = (this.counts[i] ?? 0) + n;
      this.count += n;
    }
  }

  /** The bucket's upper bound holding quantile q (the last finite bound for the overflow). */
  percentile(q: number): number | null {
    return bucketPercentile(this.counts, LIVE_BUCKETS_MS, q);
  }
}

/** Percentile from bucket counts (counts[i] = observations ≤ bounds[i], not cumulative). */
export function bucketPercentile(
  counts: ArrayLike<number>,
  bounds: readonly number[],
  q: number,
): number | null {
  let total = 0;
  for (let i = 0; i < counts.length; i += 1) total += counts[i] ?? 0;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < counts.length; i += 1) {
    seen += counts[i] ?? 0;
    if (seen >= rank) {
      const bound = bounds[i] as number;
      return Number.isFinite(bound) ? bound : (bounds[i - 1] ?? 0);
    }
  }
  return null;
}
