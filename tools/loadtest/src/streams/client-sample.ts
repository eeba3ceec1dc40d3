import { type Subscription, subscribe } from '@challenges/client';
import type { RunContext } from '../run-context.ts';

/** How many players also hold a stream through `@challenges/client` (half of them dropped once). */
export const CLIENT_SAMPLE = 10;

/**
 * A sample of the scenario's players also subscribed through the repository's TypeScript client
 * (`packages/client`): the bulk of the streams use the runner's lean reader, these check the
 * client itself under the same load — its reconnect and `Last-Event-ID` resume (half of them
 * drop their connection once mid-run) and the goal state it keeps, compared at the end with
 * `GET /v1/challenges`.
 */
export function startClientSample(run: RunContext, goalId: string) {
  const players = run.users.slice(0, Math.min(CLIENT_SAMPLE, run.users.length));
  const base = `${run.options.target}`;
  const subs: Subscription[] = players.map((user) => {
    const [name, value] = run.api.authHeader(user);
    const auth =
      name.toLowerCase() === 'authorization'
        ? { token: value.replace(/^Bearer /, '') }
        : { mockUserId: value };
    return subscribe(
      { baseUrls: [base], basePath: run.options.basePath, ...auth },
      { onEvent: () => {}, reconnectDelayMs: 200 },
    );
  });
  return {
    players: players.length,
    opened: () => Promise.all(subs.map((s) => s.opened)),
    /** Drops every other sampled connection once: the client reconnects and resumes. */
    drop(): void {
      subs.forEach((s, i) => {
        if (i % 2 === 0) s.drop();
      });
    },
    /** Sampled players whose client-side progress of the goal differs from GET /v1/challenges. */
    async mismatched(): Promise<number> {
      let wrong = 0;
      for (const [i, user] of players.entries()) {
        const listed = listedProgress((await run.api.call('GET', '/v1/challenges', user)).body);
        const held = [...subs[i]!.goals().values()].find((g) => g.goalId === goalId)?.progress;
        if (held !== listed(goalId)) wrong++;
      }
      return wrong;
    },
    close(): void {
      for (const s of subs) s.close();
    },
  };
}

function listedProgress(body: unknown) {
  const { challenges = [] } = body as {
    challenges?: { goals?: { goalId: string; progress: number }[] }[];
  };
  return (goalId: string) => {
    for (const c of challenges) {
      const goal = c.goals?.find((g) => g.goalId === goalId);
      if (goal) return goal.progress;
    }
    return undefined;
  };
}
