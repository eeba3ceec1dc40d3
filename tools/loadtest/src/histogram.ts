import type { LatencyStats } from './contract.ts';

// Log-linear buckets: each power of two above 1 µs is split into 128 equal buckets, so a bucket
// is at most 1/128 of its value wide and its midpoint is within 0.4 % of any value in it — the
// ≤ 1 % HDR-like precision without adding hdr-histogram-js. 40 powers cover 1 µs … 12 days.
const SUB = 128;
const POWERS = 40;
const UNIT_MS = 0.001;

function bucketOf(ms: number): number {
  const v = ms / UNIT_MS;
  if (v < 1) return 0;
  const power = Math.min(POWERS - 1, Math.floor(Math.log2(v)));
  const base = 2 ** power;
  const sub = Math.min(SUB - 1, Math.floor(((v - base) / base) * SUB));
  return 1 + power * SUB + sub;
}

function midpointOf(bucket: number): number {
  if (bucket === 0) return 0;
  const power = Math.floor((bucket - 1) / SUB);
  const sub = (bucket - 1) % SUB;
  const base = 2 ** power;
  return (base + ((sub + 0.5) * base) / SUB) * UNIT_MS;
}

export class LatencyHistogram {
  private counts = new Float64Array(1 + POWERS * SUB);
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = 0;

  record(ms: number): void {
    const value = Math.max(0, ms);
    this.counts[bucketOf(value)]! += 1;
    this.count += 1;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  merge(other: LatencyHistogram): void {
    for (let i = 0; i < other.counts.length; i++) this.counts[i]! += other.counts[i]!;
    this.count += other.count;
    this.sum += other.sum;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
  }

  /** Nearest rank, like bench/lib/stats.ts; the bucket midpoint clamped to the exact min/max. */
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    if (p >= 100) return this.max;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, midpointOf(i)));
    }
    return this.max;
  }

  stats(): LatencyStats {
    const r = (n: number) => (Number.isFinite(n) ? Math.round(n * 100) / 100 : 0);
    return {
      count: this.count,
      p50Ms: r(this.percentile(50)),
      p90Ms: r(this.percentile(90)),
      p95Ms: r(this.percentile(95)),
      p99Ms: r(this.percentile(99)),
      maxMs: r(this.count ? this.max : Number.NaN),
      meanMs: r(this.count ? this.sum / this.count : Number.NaN),
    };
  }
}
