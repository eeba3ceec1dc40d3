import { describe, expect, it } from 'vitest';
import { percentile, round, summarizeLatencies } from './stats.ts';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });
});

describe('summarizeLatencies', () => {
  it('sorts numerically, not as strings', () => {
    const summary = summarizeLatencies([10, 9, 100, 2, 1]);
    expect(summary).toEqual({ p50: 9, p95: 100, p99: 100, max: 100, mean: 24.4 });
  });

  it('gives NaN for no samples rather than a made-up 0', () => {
    expect(summarizeLatencies([]).p95).toBeNaN();
  });
});

describe('round', () => {
  it('keeps two decimals by default', () => {
    expect(round(1.23456)).toBe(1.23);
    expect(round(0.0049, 3)).toBe(0.005);
  });
});
