import { eventClients } from '../../../apps/api/src/testing/event-clients.ts';
import { type ArrivalResult, runArrivals } from './arrival.ts';
import type {
  LoadTestOptions,
  LoadTestProgress,
  LoadTestReport,
  TimelinePoint,
} from './contract.ts';
import { Recorder } from './recorder.ts';
import { buildWorkload, Checks } from './scenarios.ts';
import * as server from './server.ts';
import { type Catalogue, catalogueOf, PlayerApi } from './target.ts';
import { capacityOf, findingsOf, verdictOf } from './verdict.ts';

export interface RunInput {
  runId: string;
  options: LoadTestOptions;
  adminKey?: string;
  /** Sent as `x-api-key` with every gRPC event (EVENTS_GRPC_AUTH=key needs one). */
  ingestKey?: string;
  jwtSecret?: string;
  onProgress?: (progress: LoadTestProgress) => void;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

const EVENTS_SCENARIOS = new Set(['events', 'mixed']);

async function setup(api: PlayerApi, users: string[], progress: (done: number) => void) {
  let next = 0;
  let failed = 0;
  let first: string | undefined;
  // A closed loop on purpose: the setup is not measured, it only has to finish quickly.
  const lane = async () => {
    while (next < users.length) {
      const user = users[next++]!;
      const res = await api.call('POST', '/v1/challenges/initialize', user, {});
      if (res.status !== 200) {
        failed++;
        first ??= `HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
      }
      progress(next);
    }
  };
  await Promise.all(Array.from({ length: 16 }, lane));
  if (failed > 0)
    throw new Error(`setup: ${failed} of ${users.length} initialize calls failed: ${first}`);
}

export async function runLoadTest(input: RunInput): Promise<LoadTestReport> {
  const { options, runId } = input;
  const log = input.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const startedAt = new Date();
  const users = Array.from({ length: options.users }, (_, i) => `lt-user-${i}`);
  const api = new PlayerApi(options.target, options.basePath, input.jwtSecret, 64);
  const withEvents = EVENTS_SCENARIOS.has(options.scenario) && options.eps > 0;
  const events = withEvents ? eventClients(options.grpc, input.ingestKey) : undefined;
  const pgClient = options.serviceDatabaseUrl
    ? new server.pg.Client({ connectionString: options.serviceDatabaseUrl })
    : undefined;
  const recorder = new Recorder();
  const checks = new Checks();
  const timeline: TimelinePoint[] = [];
  let phase: LoadTestProgress['phase'] = 'setup';
  let connectionsMax: number | null = null;
  const report = (p: LoadTestProgress) => {
    input.onProgress?.(p);
    log(
      `[loadtest] ${p.phase} ${p.elapsedS}s/${p.durationS}s sent ${p.sent} done ${p.completed} ` +
        `err ${p.errors} dropped ${p.dropped} rps ${p.rps} eps ${p.eps} p95 ${p.p95Ms ?? '—'} ms`,
    );
  };
  try {
    await pgClient?.connect();
    await api.prepareUsers(users);
    const setupStart = performance.now();
    let setupDone = 0;
    const setupTimer = setInterval(() => {
      const s = Math.round((performance.now() - setupStart) / 1000);
      report({
        phase,
        elapsedS: s,
        durationS: options.durationS,
        sent: setupDone,
        completed: setupDone,
        errors: 0,
        dropped: 0,
        rps: 0,
        eps: 0,
        p95Ms: null,
      });
    }, 1000);
    try {
      await setup(api, users, (n) => {
        setupDone = n;
      });
    } finally {
      clearInterval(setupTimer);
    }
    const listed = await api.call('GET', '/v1/challenges', users[0]!);
    const catalogue: Catalogue = catalogueOf(listed.body);
    if (catalogue.challenges.length === 0) throw new Error(`no challenges at ${options.target}`);
    const workload = buildWorkload(
      { options, api, events, recorder, catalogue, users, runId },
      checks,
    );

    const apiBefore = await server.fetchText(options.apiMetrics);
    const workerBefore = await server.fetchText(options.workerMetrics);
    const pgBefore = pgClient ? await server.samplePostgres(pgClient) : undefined;

    phase = 'warmup';
    const runStart = performance.now();
    const measureStartMs = runStart + options.warmupS * 1000;
    const epochAt = (perf: number) => Date.now() - (performance.now() - perf);
    const arrivals: ArrivalResult[] = [];
    const progressTimer = setInterval(() => {
      const now = performance.now();
      if (phase === 'warmup' && now >= measureStartMs) phase = 'measure';
      const w = recorder.takeWindow();
      const s = Math.max(
        0,
        Math.floor((now - (phase === 'warmup' ? runStart : measureStartMs)) / 1000),
      );
      const p95 = recorder.all.count ? Math.round(recorder.all.percentile(95) * 100) / 100 : null;
      if (phase === 'measure')
        timeline.push({
          s,
          rps: w.request,
          eps: w.event,
          p95Ms: p95,
          apiCpuPercent: null,
          workerCpuPercent: null,
          apiHeapMb: null,
          workerHeapMb: null,
        });
      report({
        phase,
        elapsedS: s,
        durationS: options.durationS,
        sent: recorder.completed,
        completed: recorder.completed,
        errors: recorder.errors,
        dropped: arrivals.reduce((a, r) => a + r.dropped, 0),
        rps: w.request,
        eps: w.event,
        p95Ms: p95,
      });
      if (pgClient) {
        void server.samplePostgres(pgClient).then(
          (sample) => {
            connectionsMax = Math.max(connectionsMax ?? 0, sample.connections);
          },
          () => undefined,
        );
      }
    }, 1000);

    const profilePromise = (async () => {
      if (!input.adminKey) return [];
      const at =
        options.warmupS * 1000 + Math.max(0, (options.durationS - options.profileSeconds) * 500);
      await new Promise((resolve) => setTimeout(resolve, at));
      if (input.signal?.aborted) return [];
      const live = await server.readLive(options.redisUrl, options.queuePrefix, 2);
      return Promise.all(
        live
          .filter((p) => p.role === 'api' || p.role === 'worker')
          .map((p) =>
            server.takeProfile(
              options.target,
              options.basePath,
              input.adminKey!,
              p.id,
              p.role,
              options.profileSeconds,
            ),
          ),
      );
    })();

    const streams = [workload.requests, workload.events].filter((s) => s !== undefined);
    const results = await Promise.all(
      streams.map((s) =>
        runArrivals({
          rate: s.rate,
          durationS: options.durationS,
          warmupS: options.warmupS,
          maxInFlight: 512,
          dropAfterMs: 5_000,
          iteration: s.iteration,
          ...(input.signal ? { signal: input.signal } : {}),
        }).then((r) => {
          arrivals.push(r);
          return r;
        }),
      ),
    );
    const measureEnd = performance.now();
    phase = 'drain';
    const profiles = await profilePromise;
    const measuredS = Math.round(Math.max(0, measureEnd - measureStartMs) / 100) / 10;

    const acked = recorder.okAll.event;
    let apiAfter = await server.fetchText(options.apiMetrics);
    let workerAfter = await server.fetchText(options.workerMetrics);
    const settledBefore = server.eventsSettled(apiBefore, workerBefore);
    // The worker applies after the ack; wait (bounded) until it has settled what was acked.
    for (let i = 0; i < 60 && settledBefore !== null && withEvents; i++) {
      const settled = server.eventsSettled(apiAfter, workerAfter);
      if (settled !== null && settled - settledBefore >= acked) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
      apiAfter = await server.fetchText(options.apiMetrics);
      workerAfter = await server.fetchText(options.workerMetrics);
    }
    clearInterval(progressTimer);
    const settledAfter = server.eventsSettled(apiAfter, workerAfter);
    const processed =
      settledBefore !== null && settledAfter !== null ? settledAfter - settledBefore : null;
    const servedBefore = server.requestsServed(apiBefore);
    const servedAfter = server.requestsServed(apiAfter);
    const pgAfter = pgClient ? await server.samplePostgres(pgClient) : undefined;

    const windowS = Math.ceil((performance.now() - runStart) / 1000) + 5;
    const live = await server.readLive(options.redisUrl, options.queuePrefix, windowS);
    const from = epochAt(measureStartMs);
    const to = epochAt(measureEnd);
    const units = { request: recorder.count('request'), event: recorder.count('event') };
    const draft = {
      version: 1 as const,
      runId,
      scenario: options.scenario,
      title: workload.title,
      options,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      measuredS,
      totals: {
        scheduled: results.reduce((a, r) => a + r.scheduled, 0),
        completed: recorder.completed,
        ok: recorder.completed - recorder.errors,
        errors: recorder.errors + results.reduce((a, r) => a + r.failed, 0),
        dropped: results.reduce((a, r) => a + r.dropped, 0),
        late: results.reduce((a, r) => a + r.late, 0),
        maxInFlight: Math.max(0, ...results.map((r) => r.maxInFlight)),
        requestsSentAll: recorder.sentAll.request,
        eventsSentAll: recorder.sentAll.event,
      },
      endpoints: recorder.report(measuredS),
      errorsByKind: recorder.errorsByKind(),
      checks: [...checks.results].map(([name, r]) => ({
        name,
        passed: r.failed === 0,
        detail: `${r.passed} passed, ${r.failed} failed${r.example ? ` (e.g. ${r.example})` : ''}`,
      })),
      server: {
        processes: server.processReports(live, from, to, units),
        postgres: {
          connectionsMax,
          goalProgressInserts: pgBefore && pgAfter ? pgAfter.inserts - pgBefore.inserts : null,
          goalProgressUpdates: pgBefore && pgAfter ? pgAfter.updates - pgBefore.updates : null,
        },
        events: {
          acked,
          processed,
          lost: processed === null || !withEvents ? null : Math.max(0, acked - processed),
        },
        requestsServed:
          servedBefore !== null && servedAfter !== null ? servedAfter - servedBefore : null,
      },
      profiles,
      timeline: server.serverTimeline(live, from, timeline),
    };
    const capacity = capacityOf(draft, options.capacityTarget);
    return { ...draft, verdict: verdictOf(draft), capacity, findings: findingsOf(draft, capacity) };
  } finally {
    events?.close();
    await api.close();
    await pgClient?.end().catch(() => undefined);
  }
}
