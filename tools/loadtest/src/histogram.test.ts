import { describe, expect, it } from 'vitest';
import { percentile } from '../../../bench/lib/stats.ts';
import { LatencyHistogram } from './histogram.ts';

describe('LatencyHistogram', () => {
  it('percentiles are within 1 % of the exact nearest-rank values over six decades', () => {
    const h = new LatencyHistogram();
    const samples: number[] = [];
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 20_000; i++) {
      const v = 0.01 * 10 ** (random() * 6);
      samples.push(v);
      h.record(v);
    }
    const sorted = Float64Array.from(samples).sort();
    for (const p of [1, 50, 90, 95, 99, 99.9]) {
      const exact = percentile(sorted, p);
      expect(Math.abs(h.percentile(p) - exact) / exact).toBeLessThanOrEqual(0.01);
    }
    expect(h.percentile(100)).toBe(sorted[sorted.length - 1]);
  });

  it('merges, and reports the exact max and mean', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    a.record(1);
    a.record(3);
    b.record(500);
    a.merge(b);
    expect(a.stats()).toMatchObject({ count: 3, maxMs: 500, meanMs: 168 });
    expect(a.percentile(50)).toBeCloseTo(3, 1);
  });

  it('is empty until something is recorded', () => {
    expect(new LatencyHistogram().stats().count).toBe(0);
    expect(Number.isNaN(new LatencyHistogram().percentile(50))).toBe(true);
  });
});
