import { runArrivals } from './arrival.ts';
import type { InitializeWaveReport } from './contract.ts';
import { errorKind, Recorder } from './recorder.ts';
import type { RunContext } from './run-context.ts';
import { buildWorkload, type Workload } from './scenarios.ts';
import { type Catalogue, catalogueOf } from './target.ts';

const WAVE_ENDPOINT = 'POST /v1/challenges/initialize (wave)';

/** The generated players' auth (signed tokens with --jwt-secret), before anything is timed. */
export async function preparePopulation(run: RunContext): Promise<void> {
  await run.api.prepareUsers(run.users);
}

/** Reports the set-up's progress every second while `work` runs. */
async function withSetupProgress<T>(run: RunContext, done: () => number, work: Promise<T>) {
  const start = performance.now();
  const timer = setInterval(() => {
    const n = done();
    const elapsedS = Math.round((performance.now() - start) / 1000);
    run.progress({
      elapsedS,
      sent: n,
      completed: n,
      errors: 0,
      dropped: 0,
      rps: 0,
      eps: 0,
      p95Ms: null,
    });
  }, 1000);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/**
 * Every player initialized once before the load. A closed loop for the other scenarios (it is
 * not measured, it only has to finish quickly); on a soak, the original's initialize wave: an open
 * model at --init-rps, timed and reported.
 */
export async function initializeWave(run: RunContext): Promise<InitializeWaveReport | null> {
  run.phase = 'setup';
  if (run.options.scenario === 'soak') return timedWave(run);
  const { api, users } = run;
  let next = 0;
  let failed = 0;
  let first: string | undefined;
  const lane = async () => {
    while (next < users.length) {
      const user = users[next++]!;
      const res = await api.call('POST', '/v1/challenges/initialize', user, {});
      if (res.status !== 200) {
        failed++;
        first ??= `HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
      }
    }
  };
  const lanes = Promise.all(Array.from({ length: 16 }, lane));
  await withSetupProgress(run, () => next, lanes);
  if (failed > 0)
    throw new Error(`setup: ${failed} of ${users.length} initialize calls failed: ${first}`);
  return null;
}

async function timedWave(run: RunContext): Promise<InitializeWaveReport> {
  const { api, users, options } = run;
  const recorder = new Recorder();
  const request = api.prepare('POST', '/v1/challenges/initialize', {});
  const rate = options.initRps;
  const started = performance.now();
  const arrivals = runArrivals({
    rate,
    // Half an arrival over, so that rounding cannot leave the last player out.
    durationS: (users.length + 0.5) / rate,
    warmupS: 0,
    maxInFlight: 512,
    dropAfterMs: 5_000,
    ...(run.input.signal ? { signal: run.input.signal } : {}),
    iteration: (ctx) => {
      const user = users[ctx.index % users.length]!;
      const record = (error: string | undefined) =>
        recorder.record(WAVE_ENDPOINT, 'request', performance.now() - ctx.scheduledAt, error, true);
      return api.send(request, user).then(
        (a) => record(a.status === 200 ? undefined : `HTTP ${a.status}`),
        (e: unknown) => record(errorKind(e)),
      );
    },
  });
  const result = await withSetupProgress(run, () => recorder.completed, arrivals);
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  return {
    players: users.length,
    rate,
    seconds,
    dropped: result.dropped,
    endpoint: recorder.report(seconds)[0] ?? null,
  };
}

/** What the load picks from: the challenges and goals one player's list shows. */
export async function prepareWorkload(run: RunContext): Promise<Workload> {
  const { api, users, options } = run;
  const listed = await api.call('GET', '/v1/challenges', users[0]!);
  const catalogue: Catalogue = catalogueOf(listed.body);
  if (catalogue.challenges.length === 0) throw new Error(`no challenges at ${options.target}`);
  return buildWorkload(
    {
      options,
      api,
      events: run.events,
      recorder: run.recorder,
      catalogue,
      users,
      runId: run.runId,
    },
    run.checks,
  );
}
