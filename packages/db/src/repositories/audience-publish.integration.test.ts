import {
  activateAssignment,
  type Definitions,
  parseDefinitions,
  rolloutBucket,
  serializeDefinitions,
} from '@challenges/core';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/vitest.ts';
import { inTransaction } from '../transaction.ts';
import { deactivateOutsideAudiences } from './audience-publish.ts';
import { createDefinitionRepository, type DefinitionRepository } from './definition.repository.ts';
import type { VersionedDefinitions } from './definitions-fence.ts';
import { createLedgerProgressRepository } from './ledger-progress.repository.ts';
import { createPlayerAttributesRepository } from './player-attributes.repository.ts';

// Audiences at publish time (docs/definitions.md#audiences): the live switch deactivates the
// active rows of players outside an audience that changed, by their stored attributes and
// rollout bucket, and nothing else.
const goal = (goalId: string, audience?: unknown) => ({
  goalId,
  name: goalId,
  eventSource: 'statistic',
  requirement: { statCode: 'kills', targetValue: 100, progressMode: 'increment' },
  reward: { type: 'ITEM', rewardId: 'r', quantity: 1 },
  defaultAssigned: true,
  ...(audience === undefined ? {} : { audience }),
});

/** Challenge c (goals g, h) and r (goal rg); audiences optional. */
const defs = (a: { g?: unknown; r?: unknown; name?: string } = {}): Definitions =>
  parseDefinitions({
    challenges: [
      { challengeId: 'c', name: a.name ?? 'C', goals: [goal('g', a.g), goal('h')] },
      {
        challengeId: 'r',
        name: 'R',
        ...(a.r === undefined ? {} : { audience: a.r }),
        goals: [goal('rg')],
      },
    ],
  });

const DE_ONLY = { all: [{ attr: 'country', in: ['DE'] }] };
const HALF = { rolloutPercent: 50 };
const NOW = new Date('2026-03-01T12:00:00.000Z');

const database = useTestDatabase({ max: 4 });
let pool: pg.Pool;
let store: DefinitionRepository;
let served: { definitions: Definitions; version: number } = { definitions: defs(), version: 0 };

const source: VersionedDefinitions = {
  current: () => served.definitions,
  version: () => served.version,
  async refresh() {
    const live = await store.getLive();
    if (live) served = { definitions: parseDefinitions(live.content), version: live.version };
  },
};

beforeAll(() => {
  pool = database.pool;
  store = createDefinitionRepository(database.prisma);
});

async function publish(next: Definitions) {
  const { version } = await store.publish({ content: serializeDefinitions(next), actor: 'test' });
  served = { definitions: next, version };
}

/** Players with their attributes (undefined: none stored) and an active row of every goal. */
async function players(attributes: Record<string, Record<string, string> | undefined>) {
  const repo = createPlayerAttributesRepository(pool);
  const progress = createLedgerProgressRepository(pool, { definitions: source });
  for (const [userId, attrs] of Object.entries(attributes)) {
    if (attrs !== undefined) await repo.replace(userId, attrs, NOW);
    await progress.insertMissing(
      [...served.definitions.goalsById.values()].map((g) =>
        activateAssignment({ row: undefined, userId, goal: g, isActive: true, now: NOW }),
      ),
    );
  }
}

/** The active goals of each given player. */
async function activeGoals(userIds: string[]) {
  const { rows } = await pool.query<{ user_id: string; goal_id: string }>(
    `SELECT user_id, goal_id FROM goal_progress
      WHERE user_id = ANY($1::text[]) AND is_active ORDER BY user_id, goal_id`,
    [userIds],
  );
  const out: Record<string, string[]> = Object.fromEntries(userIds.map((u) => [u, []]));
  for (const row of rows) out[row.user_id]!.push(row.goal_id);
  return out;
}

describe('a publish that changes audiences', () => {
  it('deactivates the rows outside (attributes, none stored, rollout) and nothing else', async () => {
    await publish(defs());
    const rolled = Array.from({ length: 12 }, (_, i) => `p-roll-${i}`);
    await players({
      'p-de': { country: 'DE' },
      'p-us': { country: 'US' },
      'p-none': undefined,
      ...Object.fromEntries(rolled.map((u) => [u, { country: 'DE' }])),
    });

    await publish(defs({ g: DE_ONLY, r: HALF }));
    const rgIn = (u: string) => rolloutBucket(u, 'r') < 5_000;
    const expected = (u: string, de: boolean) =>
      [...(de ? ['g'] : []), 'h', ...(rgIn(u) ? ['rg'] : [])].sort();
    const all = ['p-de', 'p-us', 'p-none', ...rolled];
    expect(await activeGoals(all)).toEqual({
      'p-de': expected('p-de', true),
      'p-us': expected('p-us', false),
      'p-none': expected('p-none', false),
      ...Object.fromEntries(rolled.map((u) => [u, expected(u, true)])),
    });
    // Both sides of the rollout are present.
    expect(new Set(rolled.map(rgIn))).toEqual(new Set([true, false]));

    // A publish that leaves the audiences as they are touches no row (a row activated again
    // by live-ops stays active).
    await pool.query(`UPDATE goal_progress SET is_active = true WHERE user_id = 'p-us'`);
    await publish(defs({ g: DE_ONLY, r: HALF, name: 'C renamed' }));
    expect((await activeGoals(['p-us']))['p-us']).toEqual(['g', 'h', 'rg']);
  });

  it('reads the rows in chunks and counts what it deactivated', async () => {
    const before = defs();
    await publish(before);
    const users = Array.from({ length: 7 }, (_, i) => `q-${i}`);
    await players(
      Object.fromEntries(users.map((u, i) => [u, { country: i % 2 === 0 ? 'DE' : 'FR' }])),
    );
    const after = defs({ g: DE_ONLY });
    const count = await inTransaction(pool, (client) =>
      deactivateOutsideAudiences(client, { before, after, at: NOW, chunk: 2 }),
    );
    const outside = users.filter((_, i) => i % 2 === 1);
    expect(count).toBe(outside.length);
    const active = await activeGoals(users);
    for (const [i, u] of users.entries()) {
      expect(active[u]!.includes('g'), u).toBe(i % 2 === 0);
    }
    const again = await inTransaction(pool, (client) =>
      deactivateOutsideAudiences(client, { before: after, after, at: NOW, chunk: 2 }),
    );
    expect(again).toBe(0);
  });

  it("reaches the changed goal's active rows through an index, without reading other goals' rows", async () => {
    // The cursor's query as audience-publish.ts declares it; planned with sequential scans
    // priced out, so what is left shows whether an index leads with goal_id.
    const plan = await inTransaction(pool, async (client) => {
      await client.query('SET LOCAL enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT g.user_id, a.attributes
           FROM goal_progress g LEFT JOIN player_attributes a ON a.user_id = g.user_id
          WHERE g.goal_id = ANY($1::text[]) AND g.is_active ORDER BY g.user_id`,
        [['g']],
      );
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/goal_id_user_id_idx/);
    expect(plan).not.toMatch(/goal_progress_pkey|Seq Scan on goal_progress/);
  });
});
