import { testPlayerId } from '@challenges/core';
import { makeDefinitions, makeGoal, makeRow } from '@challenges/core/testing';
import { describe, expect, it } from 'vitest';
import { usePublishedDefinitions, useTestDatabase } from '../testing/vitest.ts';
import { createGoalStatsRepository } from './goal-stats.repository.ts';
import { createLedgerProgressRepository } from './ledger-progress.repository.ts';
import { createTestPlayerRepository } from './test-players.repository.ts';

const database = useTestDatabase({ max: 4 });
const live = usePublishedDefinitions(
  database,
  makeDefinitions([makeGoal({ goalId: 'g1' }), makeGoal({ goalId: 'g2' })]),
);

const REAL = 'alice';
const TEST = testPlayerId(3);

async function seed() {
  const { pool } = database;
  await createLedgerProgressRepository(pool, { definitions: live }).insertMissing([
    makeRow({ goalId: 'g1', userId: REAL, status: 'claimed' }),
    makeRow({ goalId: 'g1', userId: TEST, status: 'claimed' }),
    makeRow({ goalId: 'g2', userId: TEST }),
  ]);
  await pool.query(
    `INSERT INTO stat_ledger (user_id, stat_key, seq, steps) VALUES ($1, 'login', 1, 1), ($2, 'login', 1, 1)`,
    [REAL, TEST],
  );
  const { rows } = await pool.query<{ id: string; user_id: string }>(
    `INSERT INTO reward_grants (idempotency_key, user_id, goal_id, challenge_id, reward_type,
       reward_id, quantity, provider, status)
     VALUES ($1 || ':g1:once', $1, 'g1', 'c1', 'ITEM', 'sword', 1, 'webhook', 'granted'),
            ($2 || ':g1:once', $2, 'g1', 'c1', 'ITEM', 'sword', 1, 'test', 'granted')
     RETURNING id, user_id`,
    [REAL, TEST],
  );
  for (const row of rows) {
    await pool.query(
      `INSERT INTO reward_grant_events (grant_id, from_status, to_status, attempt, actor)
       VALUES ($1, 'pending', 'granted', 1, 'api')`,
      [row.id],
    );
  }
}

const usersIn = async (table: string) =>
  (await database.pool.query(`SELECT DISTINCT user_id FROM ${table} ORDER BY 1`)).rows.map(
    (r) => r.user_id,
  );

describe('load-test players', () => {
  it('do not count in the goal statistics', async () => {
    await seed();
    const stats = await createGoalStatsRepository(database.pool).all();
    expect(stats).toEqual([
      { goalId: 'g1', assigned: 1, active: expect.any(Number), completed: 1, claimed: 1 },
    ]);
  });

  it('are removed with their ledgers, grants and trail; real players stay', async () => {
    await seed();
    const removed = await createTestPlayerRepository(database.pool).removeAll();
    expect(removed).toEqual({ progressRows: 2, grants: 1 });
    expect(await usersIn('goal_progress')).toEqual([REAL]);
    expect(await usersIn('stat_ledger')).toEqual([REAL]);
    expect(await usersIn('reward_grants')).toEqual([REAL]);
    const trail = await database.pool.query(
      'SELECT g.user_id FROM reward_grant_events e JOIN reward_grants g ON g.id = e.grant_id',
    );
    const orphans = await database.pool.query(
      'SELECT count(*)::int AS n FROM reward_grant_events WHERE grant_id NOT IN (SELECT id FROM reward_grants)',
    );
    expect(trail.rows.map((r) => r.user_id)).toEqual([REAL]);
    expect(orphans.rows[0].n).toBe(0);
  });
});
