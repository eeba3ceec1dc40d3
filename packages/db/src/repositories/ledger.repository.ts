import type { StoredAssignment } from '@challenges/core';
import type pg from 'pg';
import { inTransaction } from '../transaction.ts';
import { FENCED_BEGIN } from './definitions-fence.ts';
import {
  applyLedgerBatch,
  type LedgerBatchInput,
  type LedgerBatchOutcome,
} from './ledger-batch.ts';
import { lockPlayer, type PlayerLedgerRows, readPlayer, writeStored } from './ledger-player.ts';

// The stat-ledger model's database side (docs/event-model.md): the worker's event batches
// (ledger-batch.ts) and the api's reads and mutations of goal_progress (ledger-player.ts).

export interface LedgerRepository {
  /**
   * One event batch in one transaction, three statements (fence+mark+lock, candidates, write)
   * in three round trips: BEGIN rides with the first, COMMIT with the last.
   */
  applyLedgerBatch(input: LedgerBatchInput): Promise<LedgerBatchOutcome>;
  /** Every stored row of the player and the player's ledgers (by stat key): one statement. */
  listByUser(userId: string): Promise<PlayerLedgerRows>;
  /**
   * An api mutation: in one transaction, inserts the missing ledger rows of `statKeys` and
   * holds them FOR SHARE (lock order ledger → goal rows), locks the player's rows of `goalIds`
   * FOR UPDATE, and writes (inserting or replacing whole rows) what `fn` returns: it runs
   * materialize → the existing rule → anchor on exactly the ledgers it is given.
   */
  mutate<T>(input: {
    /** As LedgerBatchInput's: another live version throws StaleDefinitionsError. */
    definitionsVersion: number;
    userId: string;
    statKeys: readonly string[];
    goalIds: readonly string[];
    fn: (locked: PlayerLedgerRows) => { write: readonly StoredAssignment[]; result: T };
  }): Promise<T>;
}

export function createLedgerRepository(pool: pg.Pool): LedgerRepository {
  return {
    applyLedgerBatch: (input) => applyLedgerBatch(pool, input),

    async listByUser(userId) {
      return readPlayer(pool, userId);
    },

    mutate({ definitionsVersion, userId, statKeys, goalIds, fn }) {
      return inTransaction(
        pool,
        async (client) => {
          await lockPlayer(client, { definitionsVersion, userId, statKeys, goalIds });
          const { write, result } = fn(await readPlayer(client, userId));
          await writeStored(client, write);
          return result;
        },
        { begin: FENCED_BEGIN },
      );
    },
  };
}
