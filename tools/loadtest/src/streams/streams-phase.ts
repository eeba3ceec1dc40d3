import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StreamsReport } from '../contract.ts';
import { localPids } from '../cpu-sources.ts';
import { errorKind } from '../recorder.ts';
import type { RunContext } from '../run-context.ts';
import type { Workload } from '../scenarios.ts';
import type { Steady } from '../steady-phase.ts';
import { startClientSample } from './client-sample.ts';
import { SseReaders } from './sse-reader.ts';
import { StreamTally } from './tally.ts';

/** The streams of a run, open and idle-measured; its workload sends the events they watch. */
export interface StreamsPhase {
  workload: Workload;
  /** Waits (bounded) for the last changes, closes the streams and reports. */
  finish(steady: Steady): Promise<StreamsReport>;
}

const DRAIN_MS = 30_000;
const STAT_ENDPOINT = 'gRPC StatItemUpdated';

interface ListBody {
  challenges?: { goals?: { goalId: string; requirement?: { statCode?: string } }[] }[];
}

/** The goal the events move: the first one a stat (other than logins) drives. */
function targetGoal(body: unknown): { goalId: string; statCode: string } {
  for (const c of (body as ListBody).challenges ?? []) {
    for (const g of c.goals ?? []) {
      const code = g.requirement?.statCode;
      if (code && code !== 'login_count') return { goalId: g.goalId, statCode: code };
    }
  }
  throw new Error('streams: no goal driven by a stat (start the stack with --streams)');
}

/** The goal's progress in a snapshot: an earlier run on the same stack may have moved it. */
function progressIn(snapshot: string, goalId: string): number {
  const { challenges } = JSON.parse(snapshot) as {
    challenges: { goals: { goalId: string; progress: number }[] }[];
  };
  for (const c of challenges) {
    const g = c.goals.find((x) => x.goalId === goalId);
    if (g) return g.progress;
  }
  return 0;
}

/** RSS of the local api processes (MB), or null when none is on this machine. */
function apiRssMb(run: RunContext): number | null {
  const pids = localPids(run.live.series(), 'api');
  if (pids.length === 0) return null;
  let kb = 0;
  for (const pid of pids) {
    kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  }
  return Math.round(kb / 102.4) / 10;
}

const cpuMsNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Opens one stream per player at --open-rate, idles --settle, and reads the api's memory. */
export async function openStreams(run: RunContext): Promise<StreamsPhase> {
  const { options, users, api } = run;
  const goal = targetGoal((await api.call('GET', '/v1/challenges', users[0]!)).body);
  const tally = new StreamTally(users.length, goal.goalId);
  let opened = 0;
  let errors = 0;
  const errorKinds = new Map<string, number>();
  const readers = new SseReaders(
    new URL(`${options.target}${options.basePath}/v1/challenges/stream`),
    {
      onOpen: (i, snapshot) => {
        opened++;
        tally.start(i, progressIn(snapshot, goal.goalId));
      },
      onChange: (i, idMs, goals) => tally.change(i, idMs, goals, performance.now(), Date.now()),
      onError: (_i, reason) => {
        errors++;
        errorKinds.set(reason, (errorKinds.get(reason) ?? 0) + 1);
      },
    },
  );

  await run.live.flush();
  const rssBefore = apiRssMb(run);
  const start = performance.now();
  const report = () =>
    run.progress({
      elapsedS: Math.round((performance.now() - start) / 1000),
      sent: readers.openCount + errors,
      completed: opened,
      errors,
      dropped: 0,
      rps: 0,
      eps: 0,
      p95Ms: null,
    });
  const progress = setInterval(report, 1000);
  try {
    // Ten slices a second at --open-rate, so the api is not hit by one burst of N handshakes.
    const perSlice = Math.max(1, Math.round((options.openRate ?? 500) / 10));
    for (let i = 0; i < users.length; i++) {
      readers.open(i, api.authHeader(users[i]!));
      if ((i + 1) % perSlice === 0) await sleep(100);
    }
    const deadline = performance.now() + 60_000;
    while (opened + errors < users.length && performance.now() < deadline) await sleep(100);
  } finally {
    clearInterval(progress);
    // The last line of the phase, also when opening took under a second.
    report();
  }
  const openSeconds = Math.round((performance.now() - start) / 100) / 10;
  const settleMs = (options.settleS ?? 5) * 1000;
  const idleCpuFrom = cpuMsNow();
  await sleep(settleMs);
  const idleCpuMs = cpuMsNow() - idleCpuFrom;
  await run.live.flush();
  const rssIdle = apiRssMb(run);
  run.input.log?.(`[loadtest] streams: ${opened} open, ${errors} failed in ${openSeconds} s`);
  const sample = startClientSample(run, goal.goalId);
  await Promise.race([sample.opened(), sleep(30_000)]);
  // Half of the client sample drops its connection halfway through the events (a resume).
  const dropAt = Math.floor((options.eps * options.durationS) / 2);

  // The generator's own event-loop delay under load: a late read of a change would show here.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let seq = 0;
  const workload: Workload = {
    title: `streams: ${users.length} progress streams, stat events over gRPC to their players`,
    events: {
      rate: options.eps,
      iteration: (ctx) => {
        const sender = run.events;
        if (!sender) return Promise.reject(new Error('no event sender'));
        const n = seq++;
        if (n === dropAt) sample.drop();
        const player = n % users.length;
        const value = tally.next(player, performance.now());
        const done = (error: string | undefined) =>
          run.recorder.record(
            STAT_ENDPOINT,
            'event',
            performance.now() - ctx.scheduledAt,
            error,
            ctx.measured,
          );
        return sender
          .stat({
            id: `lt-${run.runId}-${n}`,
            userId: users[player]!,
            timestamp: new Date().toISOString(),
            statCode: goal.statCode,
            value,
          })
          .then(
            () => {
              tally.ack(player, value);
              done(undefined);
            },
            (error: unknown) => done(errorKind(error)),
          );
      },
    },
  };

  return {
    workload,
    async finish(steady) {
      const drainStart = performance.now();
      while (tally.lost() > 0 && performance.now() - drainStart < DRAIN_MS) await sleep(100);
      const drainSeconds = Math.round((performance.now() - drainStart) / 100) / 10;
      // The client sample catches up after its reconnects (bounded like the drain).
      let mismatched = await sample.mismatched();
      const sampleStart = performance.now();
      while (mismatched > 0 && performance.now() - sampleStart < 10_000) {
        await sleep(200);
        mismatched = await sample.mismatched();
      }
      sample.close();
      readers.close();
      loopDelay.disable();
      const inWindow = tally.changesBetween(steady.from, steady.to);
      const rowMs = (role: string) => {
        const row = steady.cpu?.rows.find((r) => r.role === role);
        return row?.cpuMs == null || inWindow === 0 ? null : round(row.cpuMs / inWindow, 3);
      };
      const idleStreamS = opened * (settleMs / 1000);
      return {
        opened,
        openSeconds,
        streamErrors: errors,
        ...(errorKinds.size > 0 ? { streamErrorKinds: Object.fromEntries(errorKinds) } : {}),
        apiRssMb: { before: rssBefore, idle: rssIdle },
        apiKbPerConnection:
          rssBefore !== null && rssIdle !== null && opened > 0
            ? round(((rssIdle - rssBefore) * 1024) / opened, 2)
            : null,
        changes: tally.changes,
        lost: tally.lost(),
        drainSeconds,
        clientSample: { players: sample.players, mismatched },
        afterCommit: tally.afterCommit.stats(),
        endToEnd: tally.endToEnd.stats(),
        apiCpuMsPerChange: rowMs('api'),
        generatorCpuMsPerIdleStreamS: idleStreamS > 0 ? round(idleCpuMs / idleStreamS, 5) : null,
        generatorCpuMsPerChange: rowMs('generator'),
        generatorLoopDelayP99Ms: round(loopDelay.percentile(99) / 1e6, 1),
      };
    },
  };
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
