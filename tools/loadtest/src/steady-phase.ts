import { setTimeout as sleep } from 'node:timers/promises';
import { type ArrivalResult, runArrivals } from './arrival.ts';
import type { CpuTable, LatencyMinute, ProfileReport, TimelinePoint } from './contract.ts';
import { type CpuSampling, cpuTableOfRun, startCpuSampling } from './cpu-report.ts';
import type { RunContext } from './run-context.ts';
import type { Workload } from './scenarios.ts';
import * as server from './server.ts';

/** The load in flight: one schedule per stream, the warm-up ramp then the steady rate. */
export interface Load {
  runStart: number;
  /** performance.now() at which the steady (measured) phase starts. */
  measureStart: number;
  arrivals: ArrivalResult[];
  done: Promise<ArrivalResult[]>;
  timeline: TimelinePoint[];
  /** Closed minutes of the steady phase, and the one being recorded. */
  latencyByMinute: LatencyMinute[];
  minute: number;
  connectionsMax: number | null;
  cpu: CpuSampling | undefined;
  /** Ends the per-second progress (after the drain). */
  stopProgress(): void;
}

/** What the steady phase measured; epoch bounds for the server's own snapshots. */
export interface Steady {
  arrivals: ArrivalResult[];
  measuredS: number;
  from: number;
  to: number;
  cpu: CpuTable | null;
  latencyByMinute: LatencyMinute[];
}

const SERVICE_ROLES = ['api', 'ingest', 'worker'];

const epochAt = (perf: number) => Date.now() - (performance.now() - perf);

export function startLoad(run: RunContext, workload: Workload): Load {
  const { options } = run;
  run.phase = 'warmup';
  const runStart = performance.now();
  const load: Load = {
    runStart,
    measureStart: runStart + options.warmupS * 1000,
    arrivals: [],
    done: Promise.resolve([]),
    timeline: [],
    latencyByMinute: [],
    minute: 0,
    connectionsMax: null,
    cpu: undefined,
    stopProgress: () => clearInterval(timer),
  };
  const timer = setInterval(() => everySecond(run, load), 1000);
  const streams = [workload.requests, workload.events].filter((s) => s !== undefined);
  load.done = Promise.all(
    streams.map((s) =>
      runArrivals({
        rate: s.rate,
        durationS: options.durationS,
        warmupS: options.warmupS,
        maxInFlight: 512,
        dropAfterMs: 5_000,
        tickMs: options.tickMs,
        iteration: s.iteration,
        ...(run.input.signal ? { signal: run.input.signal } : {}),
      }).then((r) => {
        load.arrivals.push(r);
        return r;
      }),
    ),
  );
  return load;
}

/** The per-second tick: progress, the timeline, a CPU sample, PostgreSQL connections. */
function everySecond(run: RunContext, load: Load): void {
  const { recorder } = run;
  const w = recorder.takeWindow();
  const from = run.phase === 'warmup' ? load.runStart : load.measureStart;
  const s = Math.max(0, Math.floor((performance.now() - from) / 1000));
  const p95 = recorder.all.count ? Math.round(recorder.all.percentile(95) * 100) / 100 : null;
  if (run.phase === 'measure') {
    load.timeline.push({ s, rps: w.request, eps: w.event, p95Ms: p95, ...noServerColumns });
    if (Math.floor(s / 60) > load.minute) {
      load.latencyByMinute.push(recorder.takeMinute(load.minute));
      load.minute = Math.floor(s / 60);
    }
    void load.cpu?.sampler.sample();
  }
  run.progress({
    elapsedS: s,
    sent: recorder.completed,
    completed: recorder.completed,
    errors: recorder.errors,
    dropped: load.arrivals.reduce((a, r) => a + r.dropped, 0),
    rps: w.request,
    eps: w.event,
    p95Ms: p95,
  });
  if (run.pg) {
    void server.samplePostgres(run.pg).then(
      (sample) => {
        load.connectionsMax = Math.max(load.connectionsMax ?? 0, sample.connections);
      },
      () => undefined,
    );
  }
}

const noServerColumns = {
  apiCpuPercent: null,
  workerCpuPercent: null,
  apiHeapMb: null,
  workerHeapMb: null,
};

/** The warm-up ramp: resolves when the steady phase starts, with its CPU window opened. */
export async function warmUp(run: RunContext, load: Load): Promise<void> {
  const wait = load.measureStart - performance.now();
  if (wait > 0) await Promise.race([sleep(wait), load.done]);
  run.phase = 'measure';
  // A run with no /proc (not Linux) still runs; its report has no CPU table.
  load.cpu = await startCpuSampling(run).catch(() => undefined);
}

/** The steady phase at the full rate, to its end (or a cancel). */
export async function steadyPhase(run: RunContext, load: Load): Promise<Steady> {
  const arrivals = await load.done;
  const measureEnd = performance.now();
  const last = run.recorder.takeMinute(load.minute);
  if (last.requests.count + last.events.count > 0) load.latencyByMinute.push(last);
  const cpu = load.cpu ? await cpuTableOfRun(run, load.cpu).catch(() => null) : null;
  run.phase = 'drain';
  return {
    arrivals,
    measuredS: Math.round(Math.max(0, measureEnd - load.measureStart) / 100) / 10,
    from: epochAt(load.measureStart),
    to: epochAt(measureEnd),
    cpu,
    latencyByMinute: load.latencyByMinute,
  };
}

/** A CPU profile of every api, ingest and worker process, taken around the middle of the steady phase. */
export async function profileMidRun(run: RunContext): Promise<ProfileReport[]> {
  const { options, input } = run;
  if (!input.adminKey) return [];
  const at =
    options.warmupS * 1000 + Math.max(0, (options.durationS - options.profileSeconds) * 500);
  await sleep(at);
  if (input.signal?.aborted) return [];
  await run.live.flush();
  const now = Date.now();
  const live = run.live.series().filter((p) => now - p.lastSeen < 10_000);
  return Promise.all(
    live
      .filter((p) => SERVICE_ROLES.includes(p.role))
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
}
