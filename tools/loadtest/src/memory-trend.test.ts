import type { LiveProcessSeries } from '@challenges/runtime';
import { describe, expect, it } from 'vitest';
import { leastSquaresSlope, memoryTrend, slopeVerdict } from './memory-trend.ts';

const MB = 1024 * 1024;

describe('leastSquaresSlope', () => {
  it('is the slope of a straight line, and of a noisy one on average', () => {
    expect(leastSquaresSlope([0, 1, 2, 3].map((x) => ({ x, y: 5 + 2 * x })))).toBeCloseTo(2, 10);
    // A saw-tooth (a GC cycle) around a flat line fits a slope near 0.
    const saw = Array.from({ length: 600 }, (_, x) => ({ x, y: 50 + (x % 30) }));
    expect(Math.abs(leastSquaresSlope(saw)!)).toBeLessThan(0.01);
    expect(leastSquaresSlope([{ x: 1, y: 1 }])).toBeNull();
    expect(
      leastSquaresSlope([
        { x: 1, y: 1 },
        { x: 1, y: 3 },
      ]),
    ).toBeNull();
  });
});

/** A process whose heap grows fast during warm-up, then by `mbPerMin`, sampled each second. */
function series(role: string, mbPerMin: number, from: number, seconds: number): LiveProcessSeries {
  const points = Array.from({ length: seconds }, (_, i) => {
    const warm = Math.min(i, 60) * 0.5; // +30 MB over the first minute
    const heap = (40 + warm + (mbPerMin * Math.max(0, i - 60)) / 60 + (i % 7) * 0.3) * MB;
    return {
      t: from + (i + 1) * 1000,
      heapUsedBytes: heap,
      rssBytes: heap + 100 * MB,
    } as LiveProcessSeries['points'][0];
  });
  return {
    id: `${role}:h:1`,
    role,
    hostname: 'h',
    pid: 1,
    startedAt: from,
    lastSeen: from,
    points,
    endpoints: [],
  };
}

describe('memoryTrend', () => {
  const from = 1_700_000_000_000;
  const settings = { warmupS: 60, maxSlopeMbPerMin: 1, stepS: 60 };

  it('fits heap and RSS after the warm-up only, in MB per minute', () => {
    const m = memoryTrend(
      [series('api', 0, from, 600), series('worker', 3, from, 600)],
      { from, to: from + 600_000 },
      settings,
    );
    const api = m.processes.find((p) => p.role === 'api')!;
    const worker = m.processes.find((p) => p.role === 'worker')!;
    // With the warm-up in the fit, the api's first-minute growth would show as a slope.
    expect(Math.abs(api.heapSlopeMbPerMin!)).toBeLessThan(0.1);
    expect(worker.heapSlopeMbPerMin).toBeCloseTo(3, 1);
    expect(worker.rssSlopeMbPerMin).toBeCloseTo(3, 1);
    expect(api.fitPoints).toBe(541);
    expect(api.points.map((p) => p.s)).toEqual([
      0, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600,
    ]);

    expect(slopeVerdict(m, 'api').passed).toBe(true);
    expect(slopeVerdict(m, 'worker')).toEqual({
      passed: false,
      actual: 'heap +3, RSS +3 MB/min',
    });
  });

  it('fails the verdict when there is nothing to fit', () => {
    const m = memoryTrend([series('api', 0, from, 30)], { from, to: from + 30_000 }, settings);
    expect(m.processes[0]?.heapSlopeMbPerMin).toBeNull();
    expect(slopeVerdict(m, 'api').passed).toBe(false);
    expect(slopeVerdict(m, 'worker')).toEqual({ passed: false, actual: 'no snapshots' });
  });
});
