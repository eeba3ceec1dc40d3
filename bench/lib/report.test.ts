import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  judge,
  latestResults,
  markdownTable,
  resultFileName,
  type ScenarioResult,
  writeResult,
} from './report.ts';

function sample(overrides: Partial<ScenarioResult['result']> = {}): ScenarioResult {
  const base: Omit<ScenarioResult, 'verdict'> = {
    scenario: 'list',
    title: 'GET /v1/challenges',
    startedAt: '2025-11-27T21:53:07.123Z',
    machine: {
      cpuModel: 'Test CPU',
      cores: 2,
      memoryGb: 8,
      node: 'v20.20.2',
      kernel: '6.1',
      commit: 'abc1234',
      dirty: false,
    },
    config: { rate: 200, requests: 3000, warmup: 1000, players: 20, fixture: 'x' },
    result: {
      requests: 3000,
      ok: 3000,
      errors: 0,
      errorKinds: {},
      elapsedS: 15,
      achievedRps: 199.9,
      cpuMs: 2400,
      cpuMsPerRequest: 0.8,
      idleCpuMsPerS: 3,
      latencyMs: { p50: 2.1, p95: 4.5, p99: 9, max: 30, mean: 2.5 },
      maxInFlight: 4,
      maxSendLagMs: 1.2,
      ...overrides,
    },
    problems: [],
    targets: { cpuMsPerRequest: 1, p95Ms: 15 },
    referenceCpuMs: 2.2,
  };
  return { ...base, verdict: judge(base) };
}

describe('judge', () => {
  it('passes a run within every target', () => {
    expect(sample().verdict).toEqual({ pass: true, notes: [] });
  });

  it('names each missed target, errors and saturation', () => {
    const r = sample({ cpuMsPerRequest: 1.4, errors: 3, achievedRps: 120 });
    const p95 = sample({ latencyMs: { p50: 9, p95: 15, p99: 20, max: 40, mean: 10 } });
    expect(r.verdict.notes).toEqual(['CPU 1.4 > 1 ms', '3 errors', 'saturated: 120 of 200 req/s']);
    expect(p95.verdict.notes).toEqual(['p95 15 ≥ 15 ms']);
  });
});

describe('markdownTable', () => {
  it('prints one row per scenario with target and verdict', () => {
    const table = markdownTable([sample(), sample({ cpuMsPerRequest: 1.4 })]).split('\n');
    expect(table).toHaveLength(4);
    expect(table[2]).toContain('| **0.8** | ≤ 1, p95 < 15 ms | 2.2 | 2.1 | 4.5 | 9 | 30 | pass |');
    expect(table[3]).toContain('**miss**: CPU 1.4 > 1 ms');
    expect(table[2]).toContain('| 2025-11-27 abc1234 |');
  });
});

describe('result files', () => {
  it('are named by time and scenario, and latest picks the newest per scenario', () => {
    expect(resultFileName('2025-11-27T21:53:07.123Z', 'list')).toBe('20251127T215307Z-list.json');
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-report-'));
    try {
      writeResult(dir, sample());
      writeResult(dir, {
        ...sample({ cpuMsPerRequest: 0.7 }),
        startedAt: '2025-11-28T08:00:00.000Z',
      });
      writeFileSync(path.join(dir, 'latest.md'), 'old');
      // A newer run of another scenario whose name ends the same way must not count as `list`.
      writeResult(dir, {
        ...sample({ cpuMsPerRequest: 1.5 }),
        scenario: 'grpc-list',
        startedAt: '2025-11-29T08:00:00.000Z',
      });
      const latest = latestResults(dir, ['list', 'initialize']);
      expect(latest.map((r) => r.result.cpuMsPerRequest)).toEqual([0.7]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
