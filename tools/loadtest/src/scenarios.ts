import { setTimeout as sleep } from 'node:timers/promises';
import type { EventClients } from '../../../apps/api/src/testing/event-clients.ts';
import type { IterationContext } from './arrival.ts';
import type { LoadTestOptions } from './contract.ts';
import { type CallKind, errorKind, type Recorder } from './recorder.ts';
import type { Catalogue, PlayerApi } from './target.ts';

type Iteration = (ctx: IterationContext) => Promise<void>;

export interface Workload {
  title: string;
  requests?: { rate: number; iteration: Iteration };
  events?: { rate: number; iteration: Iteration };
}

export interface WorkloadDeps {
  options: LoadTestOptions;
  api: PlayerApi;
  events: EventClients | undefined;
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
export function weighted<T extends string>(weights: Record<T, number>, random: () => number): T {
  const entries = Object.entries(weights) as [T, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let x = random() * total;
  for (const [key, w] of entries) {
    x -= w;
    if (x < 0) return key;
  }
  return entries.at(-1)![0];
}

export function buildWorkload(deps: WorkloadDeps, checks: Checks): Workload {
  const { options, api, recorder, catalogue, users } = deps;
  const random = deps.random ?? Math.random;
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  let eventSeq = 0;

  // from: the scheduled instant for an iteration's first call (no coordinated omission), the
  // actual start for later calls of a session (they follow a think time on purpose).
  const timed = async (
    endpoint: string,
    kind: CallKind,
    ctx: IterationContext,
    from: number,
    run: () => Promise<string | undefined>,
  ): Promise<void> => {
    let error: string | undefined;
    try {
      error = await run();
    } catch (e) {
      error = errorKind(e);
    }
    recorder.record(endpoint, kind, performance.now() - from, error, ctx.measured);
  };
  // Refusals that depend on the player's state (400 not completed, 409 already claimed) are
  // answers, not failures: a random claim is usually refused.
  const http = (
    name: string,
    method: string,
    path: string,
    accepted: number[],
    body?: unknown,
    check?: (b: unknown) => void,
  ) => {
    return async (ctx: IterationContext, user: string, from: number) =>
      timed(name, 'request', ctx, from, async () => {
        const res = await api.call(method, path, user, body);
        if (!accepted.includes(res.status)) return `HTTP ${res.status}`;
        check?.(res.body);
        return undefined;
      });
  };
  const list = () => http('GET /v1/challenges', 'GET', '/v1/challenges', [200]);
  const initialize = () =>
    http('POST /v1/challenges/initialize', 'POST', '/v1/challenges/initialize', [200], {}, (b) =>
      checks.note(
        'initialize of a returning player creates nothing',
        (b as { newAssignments?: number }).newAssignments === 0
          ? undefined
          : `newAssignments ${(b as { newAssignments?: number }).newAssignments}`,
      ),
    );
  const goal = () => {
    const c = pick(catalogue.challenges);
    return { c: c.challengeId, g: pick(c.goalIds), all: c.goalIds };
  };
  const setActive = () => {
    const { c, g } = goal();
    return http('PUT /goals/{g}/active', 'PUT', `/v1/challenges/${c}/goals/${g}/active`, [200], {
      isActive: random() < 0.7,
    });
  };
  const claim = () => {
    const { c, g } = goal();
    return http(
      'POST /goals/{g}/claim',
      'POST',
      `/v1/challenges/${c}/goals/${g}/claim`,
      [200, 400, 409],
    );
  };
  const select = () => {
    const { c, all } = goal();
    const goalIds = [pick(all), pick(all), pick(all)];
    return http(
      'POST /goals/batch-select',
      'POST',
      `/v1/challenges/${c}/goals/batch-select`,
      [200],
      {
        goalIds,
        replaceExisting: true,
      },
    );
  };

  const event: Iteration = async (ctx) => {
    const clients = deps.events;
    if (!clients) throw new Error('no event clients');
    const user = pick(users);
    const id = `lt-${deps.runId}-${eventSeq++}`;
    const base = {
      id,
      namespace: options.namespace,
      userId: user,
      timestamp: new Date().toISOString(),
    };
    if (random() < 0.2 || catalogue.statCodes.length === 0) {
      await timed('gRPC UserLoggedIn', 'event', ctx, ctx.scheduledAt, async () => {
        await clients.login(base);
        return undefined;
      });
    } else {
      const statCode = pick(catalogue.statCodes);
      await timed('gRPC StatItemUpdated', 'event', ctx, ctx.scheduledAt, async () => {
        await clients.stat({
          ...base,
          payload: { statCode, latestValue: 1 + (eventSeq % 50), inc: 1 },
        });
        return undefined;
      });
    }
  };
  const one =
    (make: () => (ctx: IterationContext, user: string, from: number) => Promise<void>): Iteration =>
    (ctx) =>
      make()(ctx, pick(users), ctx.scheduledAt);

  const mixOps = { list, setActive, initialize, claim };
  const mixWeights = { list: 70, setActive: 15, initialize: 10, claim: 5 };
  const think = () => sleep(options.thinkMs * (0.5 + random()));

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
      return {
        title: 'mixed: 70 % list / 15 % set-active / 10 % initialize / 5 % claim, plus events',
        requests: {
          rate: options.rps,
          iteration: (ctx) => one(mixOps[weighted(mixWeights, random)])(ctx),
        },
        ...(options.eps > 0 ? { events: { rate: options.eps, iteration: event } } : {}),
      };
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
              await steps[i]!()(ctx, user, i === 0 ? ctx.scheduledAt : performance.now());
            }
          },
        },
      };
  }
}
