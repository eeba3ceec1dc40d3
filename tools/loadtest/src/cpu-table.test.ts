import { describe, expect, it } from 'vitest';
import type { CpuTotals } from './cpu-sampler.ts';
import { type CpuRowSpec, cpuTableOf } from './cpu-table.ts';

const spec = (key: string, role: CpuRowSpec['role'], measured = true): CpuRowSpec => ({
  key,
  role,
  process: key,
  measured,
  note: null,
});

// 10 s on 2 cores = 20,000 ms of box; 1,000 requests and 4,000 events.
const totals = (groups: Record<string, [number, number[]]>, boxBusyMs = 12_000): CpuTotals => ({
  windowMs: 10_000,
  boxBusyMs,
  groups: new Map(Object.entries(groups).map(([k, [cpuMs, pids]]) => [k, { cpuMs, pids }])),
});
const units = { requests: 1_000, events: 4_000 };

describe('cpuTableOf', () => {
  it('gives each group its share of the box and its cost per request, event and call', () => {
    const table = cpuTableOf(
      totals({ api: [4_000, [11]], postgres: [2_500, [21, 22, 23]], generator: [500, [31]] }),
      [spec('api', 'api'), spec('postgres', 'postgres'), spec('generator', 'generator')],
      units,
      2,
    );
    expect(table).toMatchObject({ windowS: 10, cores: 2, boxBusyPercent: 60 });
    expect(table.rows.find((r) => r.role === 'api')).toMatchObject({
      cpuMs: 4_000,
      percentOfBox: 20,
      msPerRequest: 4,
      msPerEvent: 1,
      msPerCall: 0.8,
      pids: [11],
    });
    expect(table.rows.find((r) => r.role === 'generator')).toMatchObject({
      percentOfBox: 2.5,
      msPerCall: 0.1,
    });
    // The rest of the box's busy time: 12,000 − 7,000.
    expect(table.rows.at(-1)).toMatchObject({ role: 'other', cpuMs: 5_000, percentOfBox: 25 });
  });

  it('says "not measured" for a process it could not read, and leaves it out of the sums', () => {
    const table = cpuTableOf(
      totals({ api: [1_000, [11]] }),
      [spec('api', 'api'), { ...spec('redis', 'redis', false), note: 'not measured: remote' }],
      units,
      2,
    );
    expect(table.rows.find((r) => r.role === 'redis')).toMatchObject({
      cpuMs: null,
      percentOfBox: null,
      msPerRequest: null,
      note: 'not measured: remote',
    });
    expect(table.rows.at(-1)?.cpuMs).toBe(11_000);
  });

  it('counts a process shown in two rows once in the remainder, and says so', () => {
    const table = cpuTableOf(
      totals({ api: [3_000, [7]], generator: [3_000, [7]] }),
      [spec('api', 'api'), spec('generator', 'generator')],
      { requests: 100, events: 0 },
      2,
    );
    expect(table.rows.find((r) => r.role === 'generator')?.note).toBe('the same process as api');
    expect(table.rows.find((r) => r.role === 'generator')?.msPerEvent).toBeNull();
    expect(table.rows.at(-1)?.cpuMs).toBe(9_000);
  });
});
