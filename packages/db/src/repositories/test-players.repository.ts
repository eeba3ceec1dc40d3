import { TEST_PLAYER_PREFIX } from '@challenges/core';
import type pg from 'pg';
import { inTransaction } from '../transaction.ts';
import { FENCED_BEGIN } from './definitions-fence.ts';

export interface RemovedTestPlayers {
  /** goal_progress rows deleted. */
  progressRows: number;
  /** reward_grants deleted, with their audit trail. */
  grants: number;
}

/** The load-test namespace (core's TEST_PLAYER_PREFIX): players a run made up. */
export interface TestPlayerRepository {
  /**
   * Deletes every trace of every test player: ledgers, progress, grants, their trail and mock
   * receipts. Unlike a real player's erasure nothing is kept: no provider ever saw these grants.
   */
  removeAll(): Promise<RemovedTestPlayers>;
}

const REMOVE_GRANTS = `
  WITH gone AS (
    DELETE FROM reward_grants WHERE starts_with(user_id, $1) RETURNING id
  ), trail AS (
    DELETE FROM reward_grant_events WHERE grant_id IN (SELECT id FROM gone)
  )
  SELECT count(*)::int AS grants FROM gone`;

export function createTestPlayerRepository(pool: pg.Pool): TestPlayerRepository {
  return {
    removeAll() {
      // Behind the definitions fence, like a player's erasure: a publish re-anchoring these
      // players' rows would otherwise write back rows deleted here.
      return inTransaction(
        pool,
        async (client) => {
          const prefix = [TEST_PLAYER_PREFIX];
          await client.query('DELETE FROM stat_ledger WHERE starts_with(user_id, $1)', prefix);
          const progress = await client.query(
            'DELETE FROM goal_progress WHERE starts_with(user_id, $1)',
            prefix,
          );
          const grants = await client.query<{ grants: number }>(REMOVE_GRANTS, prefix);
          await client.query(
            'DELETE FROM mock_reward_receipts WHERE starts_with(user_id, $1)',
            prefix,
          );
          return { progressRows: progress.rowCount ?? 0, grants: grants.rows[0]?.grants ?? 0 };
        },
        { begin: FENCED_BEGIN },
      );
    },
  };
}
