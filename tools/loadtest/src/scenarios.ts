import { setTimeout as sleep } from 'node:timers/promises';
import type { IterationContext } from './arrival.ts';
import type { LoadTestOptions } from './contract.ts';
import type { EventSender } from './event-sender.ts';
import { type CallKind, errorKind, type Recorder } from './recorder.ts';
import type { Answer, Catalogue, PlayerApi, PreparedRequest } from './target.ts';

type Iteration = (ctx: IterationContext) => Promise<void>;
/** One call of a player: `from` is when its latency clock started. */
type Step = (ctx: IterationContext, user: string, from: number) => Promise<void>;

export interface Workload {
  title: string;
  requests?: { rate: number; iteration: Iteration };
  events?: { rate: number; iteration: Iteration };
}

export interface WorkloadDeps {
  options: LoadTestOptions;
  api: PlayerApi;
  events: EventSender | undefined;
  recorder: Recorder;
  catalogue: Catalogue;
  users: string[];
  runId: string;
  random?: () => number;
}

/** Checks of answers (e.g. a returning player's initialize creates nothing), counted per name. */
export class Checks {
  readonly results = new Map<string, { passed: number; failed: number; example: string }>();
  note(name: string, failure: string | undefined): void {
    const r = this.results.get(name) ?? { passed: 0, failed: 0, example: '' };
    if (failure === undefined) r.passed++;
    else {
      r.failed++;
      r.example ||= failure;
    }
    this.results.set(name, r);
  }
}

/** Picks one of `weights`' keys with probability proportional to its weight. */
export function weighted<T extends string>(
  weights: Record<T, number>,
): (random: () => number) => T {
  const entries = Object.entries(weights) as [T, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  return (random) => {
    let x = random() * total;
    for (const [key, w] of entries) {
      x -= w;
      if (x < 0) return key;
    }
    return entries.at(-1)![0];
  };
}

const INITIALIZE_CHECK = 'initialize of a returning player creates nothing';
// initialize's answer ends with `"newAssignments":N,"totalActive":M}`: read from its tail.
const NEW_ASSIGNMENTS = /"newAssignments":(\d+)/;

export function initializeProblem(answer: Answer): string | undefined {
  const n = NEW_ASSIGNMENTS.exec(answer.tail)?.[1];
  return n === '0' ? undefined : `newAssignments ${n ?? 'missing'}`;
}

/** The player REST calls the scenarios are made of, each recorded under its endpoint name. */
function playerSteps(deps: WorkloadDeps, checks: Checks) {
  const { api, recorder, catalogue } = deps;
  const random = deps.random ?? Math.random;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  // Refusals that depend on the player's state (400 not completed, 409 already claimed) are
  // answers, not failures: a random claim is usually refused.
  const http = (
    name: string,
    accepted: readonly number[],
    request: (user: string) => PreparedRequest,
    check?: (answer: Answer) => void,
  ): Step => {
    const record = (ctx: IterationContext, from: number, error: string | undefined) =>
      recorder.record(name, 'request', performance.now() - from, error, ctx.measured);
    return (ctx, user, from) =>
      api.send(request(user), user).then(
        (answer) => {
          if (!accepted.includes(answer.status)) return record(ctx, from, `HTTP ${answer.status}`);
          check?.(answer);
          record(ctx, from, undefined);
        },
        (error: unknown) => record(ctx, from, errorKind(error)),
      );
  };
  const listRequest = api.prepare('GET', '/v1/challenges');
  const initializeRequest = api.prepare('POST', '/v1/challenges/initialize', {});
  // Every goal's set-active (both values) and claim request, built once.
  const goals = catalogue.challenges.flatMap((c) =>
    c.goalIds.map((g) => {
      const goal = `/v1/challenges/${c.challengeId}/goals/${g}`;
      return {
        activate: api.prepare('PUT', `${goal}/active`, { isActive: true }),
        deactivate: api.prepare('PUT', `${goal}/active`, { isActive: false }),
        claim: api.prepare('POST', `${goal}/claim`),
      };
    }),
  );
  return {
    list: http('GET /v1/challenges', [200], () => listRequest),
    initialize: http(
      'POST /v1/challenges/initialize',
      [200],
      () => initializeRequest,
      (a) => checks.note(INITIALIZE_CHECK, initializeProblem(a)),
    ),
    setActive: http('PUT /goals/{g}/active', [200], () => {
      const g = pick(goals);
      return random() < 0.7 ? g.activate : g.deactivate;
    }),
    claim: http('POST /goals/{g}/claim', [200, 400, 409], () => pick(goals).claim),
    select: http('POST /goals/batch-select', [200], () => {
      const c = pick(catalogue.challenges);
      const goalIds = [pick(c.goalIds), pick(c.goalIds), pick(c.goalIds)];
      return api.prepare('POST', `/v1/challenges/${c.challengeId}/goals/batch-select`, {
        goalIds,
        replaceExisting: true,
      });
    }),
  };
}

export function buildWorkload(deps: WorkloadDeps, checks: Checks): Workload {
  const { options, users } = deps;
  const random = deps.random ?? Math.random;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const { list, initialize, setActive, claim, select } = playerSteps(deps, checks);
  const event = eventIteration(deps);
  const one =
    (step: Step): Iteration =>
    (ctx) =>
      step(ctx, pick(users), ctx.scheduledAt);
  const mixOps = {
    list: one(list),
    setActive: one(setActive),
    initialize: one(initialize),
    claim: one(claim),
  };
  const mix = weighted({ list: 70, setActive: 15, initialize: 10, claim: 5 });
  const mixed: Iteration = (ctx) => mixOps[mix(random)](ctx);
  const think = () => sleep(options.thinkMs * (0.5 + random()));
  const mixTitle = 'mixed: 70 % list / 15 % set-active / 10 % initialize / 5 % claim, plus events';

  switch (options.scenario) {
    case 'list':
      return { title: 'GET /v1/challenges', requests: { rate: options.rps, iteration: one(list) } };
    case 'initialize':
      return {
        title: 'POST /v1/challenges/initialize, returning players',
        requests: { rate: options.rps, iteration: one(initialize) },
      };
    case 'events':
      return {
        title: 'gRPC events, 20 % login / 80 % stat',
        events: { rate: options.eps, iteration: event },
      };
    case 'mixed':
    case 'soak':
      return {
        title: options.scenario === 'soak' ? `soak: initialize wave, then ${mixTitle}` : mixTitle,
        requests: { rate: options.rps, iteration: mixed },
        ...(options.eps > 0 ? { events: { rate: options.eps, iteration: event } } : {}),
      };
    case 'streams':
      // Its events go to the players whose streams it holds: streams/streams-phase.ts.
      throw new Error('the streams workload is built with its streams');
    case 'sessions':
      return {
        title: 'sessions: initialize → list → select → list → claim, with think time',
        requests: {
          rate: options.rps,
          iteration: async (ctx) => {
            const user = pick(users);
            const steps = [initialize, list, select, list, claim];
            for (let i = 0; i < steps.length; i++) {
              if (i > 0) await think();
              await steps[i]!(ctx, user, i === 0 ? ctx.scheduledAt : performance.now());
            }
          },
        },
      };
  }
}

/** One gRPC event of a random player: 20 % UserLoggedIn, 80 % StatItemUpdated. */
function eventIteration(deps: WorkloadDeps): Iteration {
  const { recorder, catalogue, users } = deps;
  const random = deps.random ?? Math.random;
  const prefix = `lt-${deps.runId}-`;
  let seq = 0;
  const done = (name: string, ctx: IterationContext, error: string | undefined) =>
    recorder.record(
      name,
      'event' satisfies CallKind,
      performance.now() - ctx.scheduledAt,
      error,
      ctx.measured,
    );
  return (ctx) => {
    const sender = deps.events;
    if (!sender) return Promise.reject(new Error('no event sender'));
    const n = seq++;
    const userId = users[Math.floor(random() * users.length)]!;
    const base = { id: prefix + n, userId, timestamp: new Date().toISOString() };
    const codes = catalogue.statCodes;
    const login = random() < 0.2 || codes.length === 0;
    const name = login ? 'gRPC UserLoggedIn' : 'gRPC StatItemUpdated';
    const sent = login
      ? sender.login(base)
      : sender.stat({
          ...base,
          statCode: codes[Math.floor(random() * codes.length)]!,
          value: 1 + (n % 50),
        });
    return sent.then(
      () => done(name, ctx, undefined),
      (error: unknown) => done(name, ctx, errorKind(error)),
    );
  };
}
