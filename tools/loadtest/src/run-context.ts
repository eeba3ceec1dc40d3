import { testPlayerId } from '@challenges/core';
import type { LoadTestOptions, LoadTestProgress } from './contract.ts';
import { createEventSender, type EventSender } from './event-sender.ts';
import { LiveCollector } from './live-collector.ts';
import { Recorder } from './recorder.ts';
import { Checks } from './scenarios.ts';
import { pg } from './server.ts';
import { PlayerApi } from './target.ts';

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

/** What every step of a run shares: its clients, its recorder and where it is. */
export interface RunContext {
  input: RunInput;
  options: LoadTestOptions;
  runId: string;
  startedAt: Date;
  users: string[];
  api: PlayerApi;
  events: EventSender | undefined;
  withEvents: boolean;
  /** The service's database, for pg_stat_* and its backends' pids; named `loadtest`. */
  pg: pg.Client | undefined;
  live: LiveCollector;
  recorder: Recorder;
  checks: Checks;
  phase: LoadTestProgress['phase'];
  /** Reports progress (dashboard row, stderr line) in the current phase. */
  progress(p: Omit<LoadTestProgress, 'phase' | 'durationS'>): void;
}

const EVENTS_SCENARIOS = new Set(['events', 'mixed', 'soak', 'streams']);

/** The run's clients, not yet connected (closeRun closes whatever `connectRun` opened). */
export function openRun(input: RunInput): RunContext {
  const { options } = input;
  const log = input.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const withEvents = EVENTS_SCENARIOS.has(options.scenario) && options.eps > 0;
  const run: RunContext = {
    input,
    options,
    runId: input.runId,
    startedAt: new Date(),
    users: Array.from({ length: options.users }, (_, i) => testPlayerId(i)),
    api: new PlayerApi(options.target, options.basePath, input.jwtSecret, 64),
    events: withEvents
      ? createEventSender(options.grpc, options.namespace, input.ingestKey)
      : undefined,
    withEvents,
    pg: options.serviceDatabaseUrl
      ? new pg.Client({
          connectionString: options.serviceDatabaseUrl,
          application_name: 'loadtest',
        })
      : undefined,
    live: new LiveCollector(
      { REDIS_URL: options.redisUrl, REDIS_CLUSTER_NODES: options.redisClusterNodes },
      options.queuePrefix,
    ),
    recorder: new Recorder(),
    checks: new Checks(),
    phase: 'setup',
    progress(p) {
      const full = { ...p, phase: run.phase, durationS: options.durationS };
      input.onProgress?.(full);
      log(
        `[loadtest] ${full.phase} ${p.elapsedS}s/${full.durationS}s sent ${p.sent} done ${p.completed} ` +
          `err ${p.errors} dropped ${p.dropped} rps ${p.rps} eps ${p.eps} p95 ${p.p95Ms ?? '—'} ms`,
      );
    },
  };
  return run;
}

export async function connectRun(run: RunContext): Promise<void> {
  await run.pg?.connect();
  await run.live.start();
}

export async function closeRun(run: RunContext): Promise<void> {
  run.events?.close();
  await run.live.stop();
  await run.api.close();
  await run.pg?.end().catch(() => undefined);
}
