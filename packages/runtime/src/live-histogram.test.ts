import { describe, expect, it } from 'vitest';
import { bucketPercentile, LIVE_BUCKETS_MS, LiveHistogram } from './live-histogram.ts';

describe('LiveHistogram', () => {
  it('spans 0.1 ms to 10 s in increasing buckets', () => {
    expect(LIVE_BUCKETS_MS[0]).toBe(0.1);
    expect(LIVE_BUCKETS_MS.at(-2)).toBe(10_000);
    for (let i = 1; i < LIVE_BUCKETS_MS.length; i += 1) {
      expect(LIVE_BUCKETS_MS[i]).toBeGreaterThan(LIVE_BUCKETS_MS[i - 1] as number);
    }
  });

  it('reads percentiles within one bucket (~30 %) of the true value', () => {
    const h = new LiveHistogram();
    for (let ms = 1; ms <= 100; ms += 1) h.record(ms);
    expect(h.count).toBe(100);
    const p50 = h.percentile(0.5) as number;
    const p99 = h.percentile(0.99) as number;
    expect(p50).toBeGreaterThanOrEqual(50);
    expect(p50).toBeLessThan(50 * 1.3);
    expect(p99).toBeGreaterThanOrEqual(99);
    expect(p99).toBeLessThan(99 * 1.3);
  });

  it('has no percentile when empty and reports overflow as the last finite bound', () => {
    expect(new LiveHistogram().percentile(0.5)).toBeNull();
    const h = new LiveHistogram();
    h.record(60_000);
    expect(h.percentile(0.99)).toBe(10_000);
    expect(bucketPercentile([0, 2], [1, Number.POSITIVE_INFINITY], 0.5)).toBe(1);
  });
});
