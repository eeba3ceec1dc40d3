import type { LoadTestReport, MemoryReport, ProfileReport } from './contract.ts';
import { memoryTrend } from './memory-trend.ts';
import { initializeWave, preparePopulation, prepareWorkload } from './population.ts';
import { closeRun, connectRun, openRun, type RunContext, type RunInput } from './run-context.ts';
import type { Workload } from './scenarios.ts';
import { collectBaseline, collectServerStats } from './server-stats.ts';
import { profileMidRun, type Steady, startLoad, steadyPhase, warmUp } from './steady-phase.ts';
import { openStreams } from './streams/streams-phase.ts';
import { judge } from './verdict.ts';

/**
 * One load test against a running stack, step by step; the CLI persists what it returns
 * (report.json, report.md, the load_test_runs row).
 */
export async function runLoadTest(input: RunInput): Promise<LoadTestReport> {
  const run = openRun(input);
  try {
    await connectRun(run);
    await preparePopulation(run);
    const wave = await initializeWave(run);
    const streams = run.options.scenario === 'streams' ? await openStreams(run) : undefined;
    const workload = streams?.workload ?? (await prepareWorkload(run));
    const baseline = await collectBaseline(run);
    const load = startLoad(run, workload);
    const profiles = profileMidRun(run);
    await warmUp(run, load);
    const steady = await steadyPhase(run, load);
    const streamsReport = (await streams?.finish(steady)) ?? null;
    const stats = await collectServerStats(run, baseline, load, steady);
    const draft = draftOf(run, { workload, steady, stats, profiles: await profiles });
    return judge(
      { ...draft, initializeWave: wave, memory: memoryOf(run, steady), streams: streamsReport },
      run.options.capacityTarget,
    );
  } finally {
    await closeRun(run);
  }
}

/** soak: heap and RSS over the steady phase and their slope after the memory warm-up. */
function memoryOf(run: RunContext, steady: Steady): MemoryReport | null {
  if (run.options.scenario !== 'soak') return null;
  return memoryTrend(
    run.live.series(),
    { from: steady.from, to: steady.to },
    {
      warmupS: run.options.memoryWarmupS,
      maxSlopeMbPerMin: run.options.maxSlopeMbPerMin,
      // A point a minute in a 30-minute table; every 10 s in a short one.
      stepS: steady.measuredS >= 600 ? 60 : 10,
    },
  );
}

type Draft = Omit<
  LoadTestReport,
  'verdict' | 'findings' | 'capacity' | 'initializeWave' | 'memory' | 'streams'
>;

function draftOf(
  run: RunContext,
  parts: {
    workload: Workload;
    steady: Steady;
    stats: Pick<LoadTestReport, 'server' | 'timeline'>;
    profiles: ProfileReport[];
  },
): Draft {
  const { recorder, checks, options } = run;
  const results = parts.steady.arrivals;
  return {
    version: 1,
    runId: run.runId,
    scenario: options.scenario,
    title: parts.workload.title,
    options,
    startedAt: run.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    measuredS: parts.steady.measuredS,
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
    endpoints: recorder.report(parts.steady.measuredS),
    latencyByMinute: parts.steady.latencyByMinute,
    errorsByKind: recorder.errorsByKind(),
    checks: [...checks.results].map(([name, r]) => ({
      name,
      passed: r.failed === 0,
      detail: `${r.passed} passed, ${r.failed} failed${r.example ? ` (e.g. ${r.example})` : ''}`,
    })),
    ...parts.stats,
    profiles: parts.profiles,
  };
}
