import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { arrivalCount, arrivalTime, runArrivals } from './arrival.ts';

describe('arrival schedule', () => {
  it('ramps linearly during warm-up, then keeps the constant rate', () => {
    // 100/s with a 2 s ramp: 100 iterations in the ramp, the 100th exactly at its end.
    expect(arrivalTime(0, 100, 2)).toBe(0);
    expect(arrivalTime(25, 100, 2)).toBeCloseTo(1, 6);
    expect(arrivalTime(100, 100, 2)).toBeCloseTo(2, 6);
    expect(arrivalTime(150, 100, 2)).toBeCloseTo(2.5, 6);
    expect(arrivalCount(100, 2, 3)).toBe(400);
    expect(arrivalTime(0, 100, 0)).toBe(0);
  });

  it('fires on schedule while answers are fast, and marks the ramp as not measured', async () => {
    const measured: boolean[] = [];
    const r = await runArrivals({
      rate: 200,
      durationS: 0.5,
      warmupS: 0.2,
      maxInFlight: 50,
      dropAfterMs: 1000,
      iteration: async (ctx) => {
        measured.push(ctx.measured);
      },
    });
    expect(r).toMatchObject({ scheduled: 120, completed: 120, dropped: 0, failed: 0 });
    expect(measured.filter((m) => !m)).toHaveLength(20);
  });

  it('on a tick grid, starts each call at a multiple of the tick, none lost or added', async () => {
    const due: number[] = [];
    const r = await runArrivals({
      rate: 500,
      durationS: 0.4,
      warmupS: 0.1,
      maxInFlight: 50,
      dropAfterMs: 1000,
      tickMs: 5,
      iteration: async (ctx) => {
        due.push(ctx.scheduledAt);
      },
    });
    expect(r).toMatchObject({ scheduled: 225, completed: 225, dropped: 0 });
    expect(due.filter((t) => Math.abs(t / 5 - Math.round(t / 5)) > 1e-9)).toEqual([]);
    // 500/s on a 5 ms grid: at most 3 calls share a tick once the ramp is over.
    const perTick = new Map<number, number>();
    for (const t of due) perTick.set(t, (perTick.get(t) ?? 0) + 1);
    expect(Math.max(...perTick.values())).toBeLessThanOrEqual(3);
  });

  it('queues beyond maxInFlight as late and drops what waits longer than dropAfterMs', async () => {
    const r = await runArrivals({
      rate: 100,
      durationS: 0.5,
      warmupS: 0,
      maxInFlight: 1,
      dropAfterMs: 150,
      iteration: () => sleep(100),
    });
    expect(r.scheduled).toBe(50);
    expect(r.maxInFlight).toBe(1);
    expect(r.late).toBeGreaterThan(0);
    expect(r.dropped).toBeGreaterThan(30);
    expect(r.started + r.dropped).toBe(50);
  });
});
