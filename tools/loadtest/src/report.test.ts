import { describe, expect, it } from 'vitest';
import type { CpuTable, LoadTestOptions } from './contract.ts';
import { renderMarkdown } from './markdown.ts';
import { duration, parseCli } from './options.ts';
import { initializeProblem } from './scenarios.ts';
import { capacityOf, findingsOf, judge, verdictOf } from './verdict.ts';

const options = parseCli(['--scenario', 'mixed'], {}).options as LoadTestOptions;
const endpoint = (name: string, p95Ms: number, throughput: number) => ({
  endpoint: name,
  count: 100,
  ok: 100,
  errors: 0,
  throughput,
  errorKinds: {},
  p50Ms: 1,
  p90Ms: 2,
  p95Ms,
  p99Ms: p95Ms + 1,
  maxMs: p95Ms + 2,
  meanMs: 1,
});
const proc = (role: string, cpu: number) => ({
  id: `${role}:h:1`,
  role,
  cpuPercentAvg: cpu,
  cpuPercentMax: cpu + 5,
  cpuMsPerUnit: 0.5,
  unit: role === 'worker' ? ('event' as const) : ('request' as const),
  heapUsedMb: { start: 50, end: 52, max: 60 },
  rssMbMax: 150,
  eventLoopP99MsMax: 12,
  queueDepthMax: null,
  lagMsMax: null,
});
const draft = (listP95: number, lost: number) => ({
  version: 1 as const,
  runId: 'r1',
  scenario: 'mixed' as const,
  title: 'mixed',
  options,
  startedAt: 'a',
  finishedAt: 'b',
  measuredS: 30,
  totals: {
    scheduled: 100,
    completed: 100,
    ok: 100,
    errors: 0,
    dropped: 0,
    late: 0,
    maxInFlight: 3,
    requestsSentAll: 100,
    eventsSentAll: 100,
  },
  endpoints: [
    endpoint('GET /v1/challenges', listP95, 210),
    endpoint('gRPC StatItemUpdated', 2, 500),
  ],
  errorsByKind: {},
  checks: [
    {
      name: 'initialize of a returning player creates nothing',
      passed: true,
      detail: '5 passed, 0 failed',
    },
  ],
  server: {
    processes: [proc('api', 60), proc('worker', 25)],
    cpu: null as CpuTable | null,
    postgres: { connectionsMax: 12, goalProgressInserts: 0, goalProgressUpdates: 900 },
    events: { acked: 500, processed: 500 - lost, lost },
    requestsServed: 100,
  },
  initializeWave: null,
  memory: null,
  profiles: [
    {
      processId: 'api:h:1',
      role: 'api',
      seconds: 10,
      error: null,
      top: [
        { functionName: '(idle)', location: '(idle)', selfPercent: 40, totalPercent: 40 },
        { functionName: 'buildList', location: 'list.ts:3', selfPercent: 12.5, totalPercent: 30 },
      ],
    },
  ],
  timeline: [],
});

describe('report generation', () => {
  it('passes when every performance target that applies holds', () => {
    expect(verdictOf(draft(9, 0)).passed).toBe(true);
  });

  it('fails on list p95 ≥ 15 ms and on a lost event, naming them', () => {
    const v = verdictOf(draft(15, 1));
    expect(v.passed).toBe(false);
    expect(v.items.filter((i) => !i.passed).map((i) => i.name)).toEqual([
      'list p95',
      'lost events',
    ]);
  });

  it('fails the lost-events check it could not run, naming the metrics it lacked', () => {
    const d = draft(9, 0);
    const unmeasured = {
      ...d,
      options: { ...d.options, workerMetrics: 'http://127.0.0.1:9/metrics' },
      server: { ...d.server, events: { acked: 500, processed: null, lost: null } },
    };
    const v = verdictOf(unmeasured);
    expect(v.passed).toBe(false);
    const item = v.items.find((i) => i.name === 'lost events');
    expect(item?.passed).toBe(false);
    expect(item?.actual).toContain('not measured');
    expect(item?.actual).toContain('http://127.0.0.1:9/metrics');
  });

  it('estimates requests per core and replicas from rps ÷ cpu', () => {
    // 210 list/s on 0.6 core → 350/s per core; 1000/s at ≤ 70 % → ceil(1000 / 245) = 5.
    expect(capacityOf(draft(9, 0), 1000)).toEqual({
      requestsPerCore: 350,
      eventsPerCore: 2000,
      target: 1000,
      replicasNeeded: 5,
    });
  });

  it('names the hottest real function and renders the reference report shape', () => {
    const d = draft(9, 0);
    const capacity = capacityOf(d, 1000);
    const findings = findingsOf(d, capacity);
    expect(findings).toContain(
      'api: the hottest function is buildList (12.5 % self, 30 % total) at list.ts:3.',
    );
    const md = renderMarkdown({ ...d, verdict: verdictOf(d), capacity, findings });
    for (const heading of [
      '# Load Test Report — mixed',
      '## Verdict: ✅ PASS',
      '## Request Metrics',
      '### CPU Profile Analysis',
      '### Key Findings',
      '### Capacity Estimate',
    ]) {
      expect(md).toContain(heading);
    }
    expect(md).toContain('**Load:** 300 RPS + 500 EPS');
  });

  it('calls heap growth a leak only when the soak’s fit after the warm-up is not flat', () => {
    const d = draft(9, 0);
    d.server.processes = [{ ...proc('api', 60), heapUsedMb: { start: 50, end: 90, max: 95 } }];
    expect(findingsOf(d, capacityOf(d, 1000))).toContain(
      'api heap grew from 50 to 90 MB: watch for a leak.',
    );
    const fit = (heapSlopeMbPerMin: number) => ({
      warmupS: 300,
      maxSlopeMbPerMin: 1,
      processes: [
        {
          id: 'api:h:1',
          role: 'api',
          fitPoints: 100,
          heapSlopeMbPerMin,
          rssSlopeMbPerMin: 0,
          points: [],
        },
      ],
    });
    const flat = { ...d, memory: fit(0.02) };
    expect(findingsOf(flat, capacityOf(flat, 1000))).toContain(
      'api heap grew from 50 to 90 MB, all of it before the fitted window (0.02 MB/min after 300 s): its working size, not a leak.',
    );
    const rising = { ...d, memory: fit(3) };
    expect(findingsOf(rising, capacityOf(rising, 1000))).toContain(
      'api heap grew from 50 to 90 MB: watch for a leak.',
    );
  });

  it('renders the latency of each minute from two minutes on', () => {
    const minute = (m: number, p95: number) => ({
      minute: m,
      requests: { count: 18_000, p95Ms: p95, p99Ms: p95 * 2 },
      events: { count: 30_000, p95Ms: p95 / 2, p99Ms: p95 },
    });
    const one = renderMarkdown(judge({ ...draft(9, 0), latencyByMinute: [minute(0, 4)] }, 1000));
    expect(one).not.toContain('## Latency by Minute');
    const md = renderMarkdown(
      judge({ ...draft(9, 0), latencyByMinute: [minute(0, 4), minute(1, 9)] }, 1000),
    );
    expect(md).toContain('## Latency by Minute');
    expect(md).toContain('| 1 | 18000 | 4 | 8 | 30000 | 2 | 4 |');
    expect(md).toContain('| 2 | 18000 | 9 | 18 | 30000 | 4.5 | 9 |');
  });

  it('renders where the CPU went, with the load generator’s cost per call', () => {
    const row = (role: string, cpuMs: number | null, note: string | null = null) => ({
      process: role,
      role: role as 'api',
      pids: cpuMs === null ? [] : [1],
      cpuMs,
      percentOfBox: cpuMs === null ? null : cpuMs / 600,
      msPerRequest: null,
      msPerEvent: null,
      msPerCall: cpuMs === null ? null : cpuMs / 96_000,
      note,
    });
    const d = draft(9, 0);
    d.server.cpu = {
      windowS: 30,
      cores: 2,
      requests: 36_000,
      events: 60_000,
      boxBusyPercent: 90,
      rows: [
        row('api', 24_000),
        row('redis', null, 'not measured: remote'),
        row('generator', 9_600),
      ],
    };
    const report = judge(d, 1000);
    expect(report.findings).toContain(
      'The load generator used 0.1 CPU-ms per call (16 % of the box).',
    );
    const md = renderMarkdown(report);
    expect(md).toContain('## Where the CPU Went');
    expect(md).toContain('| redis | — | — | — | — | — | — | not measured: remote |');
    expect(md).toContain('**Load generator:** 0.1 CPU-ms per call (target ≤ 0.15');
  });

  it('judges a soak by its initialize wave and flat heap/RSS, with the threshold stated', () => {
    const soak = parseCli(['--scenario', 'soak'], {}).options;
    expect(soak).toMatchObject({ rps: 300, eps: 500, durationS: 1800, memoryWarmupS: 300 });
    const proc = (role: string, heap: number | null) => ({
      id: `${role}:h:1`,
      role,
      fitPoints: heap === null ? 2 : 1500,
      heapSlopeMbPerMin: heap,
      rssSlopeMbPerMin: heap === null ? null : 0.2,
      points: [{ s: 0, heapMb: 50, rssMb: 150 }],
    });
    const d = {
      ...draft(9, 0),
      scenario: 'soak' as const,
      options: soak,
      initializeWave: {
        players: 1000,
        rate: 600,
        seconds: 1.7,
        dropped: 0,
        endpoint: { ...draft(9, 0).endpoints[0]!, count: 1000, errors: 0 },
      },
      memory: {
        warmupS: 300,
        maxSlopeMbPerMin: 1,
        processes: [proc('api', 0.1), proc('worker', 2.5)],
      },
    };
    const items = verdictOf(d).items.filter((i) => /wave|slope/.test(i.name));
    expect(items).toEqual([
      { name: 'initialize wave errors', target: '0', actual: '0 of 1000', passed: true },
      {
        name: 'api heap/RSS slope ≈ 0',
        target: '|slope| ≤ 1 MB/min after 300 s',
        actual: 'heap +0.1, RSS +0.2 MB/min',
        passed: true,
      },
      {
        name: 'worker heap/RSS slope ≈ 0',
        target: '|slope| ≤ 1 MB/min after 300 s',
        actual: 'heap +2.5, RSS +0.2 MB/min',
        passed: false,
      },
    ]);
    const md = renderMarkdown(judge(d, 1000));
    expect(md).toContain('## Initialize Wave');
    expect(md).toContain('## Memory Over Time');
    expect(md).toContain('| worker:h:1 | 1500 | 2.5 | 0.2 |');
  });

  it('checks initialize from the tail of its answer', () => {
    const tail = (n: number) => ({
      status: 200,
      tail: `…}}],"newAssignments":${n},"totalActive":100}`,
    });
    expect(initializeProblem(tail(0))).toBeUndefined();
    expect(initializeProblem(tail(12))).toBe('newAssignments 12');
    expect(initializeProblem({ status: 200, tail: '{"x":1}' })).toBe('newAssignments missing');
  });

  it('parses durations and rejects unknown scenarios', () => {
    expect(duration('2m', 'd')).toBe(120);
    expect(duration('500ms', 'd')).toBe(0.5);
    expect(() => parseCli(['--scenario', 'nope'], {})).toThrow(/unknown scenario/);
  });

  it('takes the ingest key from --ingest-key, else from INGEST_API_KEY', () => {
    expect(parseCli(['--scenario', 'events'], {}).ingestKey).toBeUndefined();
    expect(parseCli(['--scenario', 'events'], { INGEST_API_KEY: 'env-key' }).ingestKey).toBe(
      'env-key',
    );
    const flag = parseCli(['--scenario', 'events', '--ingest-key', 'flag-key'], {
      INGEST_API_KEY: 'env-key',
    });
    expect(flag.ingestKey).toBe('flag-key');
    // A secret is never part of the options stored with the run.
    expect(JSON.stringify(flag.options)).not.toContain('flag-key');
  });
});
