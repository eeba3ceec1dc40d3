import { setTimeout as sleep } from 'node:timers/promises';
import type { LoadTestReport } from './contract.ts';
import type { RunContext } from './run-context.ts';
import * as server from './server.ts';
import type { Load, Steady } from './steady-phase.ts';

/** The service's own counters before the load, for the independent counts after it. */
export interface Baseline {
  apiMetrics: string | null;
  workerMetrics: string | null;
  postgres: server.PgSample | undefined;
}

export async function collectBaseline(run: RunContext): Promise<Baseline> {
  const { options } = run;
  return {
    apiMetrics: await server.fetchMetrics(options.apiMetrics),
    workerMetrics: await server.fetchText(options.workerMetrics),
    postgres: run.pg ? await server.samplePostgres(run.pg) : undefined,
  };
}

const SETTLE_POLLS = 60;
const SETTLE_POLL_MS = 500;

/**
 * The server side of the run: what the api counted, what the pipeline settled (waiting, bounded,
 * for the worker to apply what was acked), PostgreSQL writes, and each process's snapshots.
 */
export async function collectServerStats(
  run: RunContext,
  before: Baseline,
  load: Load,
  steady: Steady,
): Promise<Pick<LoadTestReport, 'server' | 'timeline'>> {
  const { options, recorder } = run;
  const acked = recorder.okAll.event;
  let apiAfter = await server.fetchMetrics(options.apiMetrics);
  let workerAfter = await server.fetchText(options.workerMetrics);
  const settledBefore = server.eventsSettled(before.apiMetrics, before.workerMetrics);
  for (let i = 0; i < SETTLE_POLLS && settledBefore !== null && run.withEvents; i++) {
    const settled = server.eventsSettled(apiAfter, workerAfter);
    if (settled !== null && settled - settledBefore >= acked) break;
    await sleep(SETTLE_POLL_MS);
    apiAfter = await server.fetchMetrics(options.apiMetrics);
    workerAfter = await server.fetchText(options.workerMetrics);
  }
  load.stopProgress();
  const settledAfter = server.eventsSettled(apiAfter, workerAfter);
  const processed =
    settledBefore !== null && settledAfter !== null ? settledAfter - settledBefore : null;
  const servedBefore = server.requestsServed(before.apiMetrics);
  const servedAfter = server.requestsServed(apiAfter);
  const pgAfter = run.pg ? await server.samplePostgres(run.pg) : undefined;
  const pgBefore = before.postgres;

  await run.live.flush();
  const live = run.live.series();
  const units = { request: recorder.count('request'), event: recorder.count('event') };
  return {
    server: {
      processes: server.processReports(live, steady.from, steady.to, units),
      cpu: steady.cpu,
      postgres: {
        connectionsMax: load.connectionsMax,
        goalProgressInserts: pgBefore && pgAfter ? pgAfter.inserts - pgBefore.inserts : null,
        goalProgressUpdates: pgBefore && pgAfter ? pgAfter.updates - pgBefore.updates : null,
      },
      events: {
        acked,
        processed,
        lost: processed === null || !run.withEvents ? null : Math.max(0, acked - processed),
      },
      requestsServed:
        servedBefore !== null && servedAfter !== null ? servedAfter - servedBefore : null,
    },
    timeline: server.serverTimeline(live, steady.from, load.timeline),
  };
}
