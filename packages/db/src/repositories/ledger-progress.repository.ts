import {
  type Assignment,
  type AssignmentView,
  anchorAssignment,
  type Definitions,
  deactivateAssignment,
  emptyLedger,
  goalOfRow,
  ledgerAssignmentViews,
  materializeAssignment,
  resetAssignment,
  type StoredAssignment,
  statKeyOfGoal,
} from '@challenges/core';
import type pg from 'pg';
import { inTransaction } from '../transaction.ts';
import { type ClaimTransaction, claimGrantQueries } from './claim-transaction.ts';
import {
  FENCED_BEGIN,
  type VersionedDefinitions,
  withLiveDefinitions,
} from './definitions-fence.ts';
import {
  insertStoredMissing,
  lockPlayer,
  type PlayerLedgerRows,
  readPlayer,
  writeStored,
} from './ledger-player.ts';
import { readPlayersViews, readPlayerViews } from './ledger-views.ts';
import type { ProgressRepository } from './progress.repository.ts';

// The api's ProgressRepository on the stat-ledger model (docs/event-model.md): the same
// Assignment-shaped interface, so the api's rules run unchanged. Every read materializes the
// row on its ledger; every write is materialize → the rule → anchor, under the ledger rows of
// the touched keys (FOR SHARE) and then the goal rows (FOR UPDATE), behind the definitions fence
// (a mutation refused as stale reloads the definitions and runs again). A read is one statement
// (rows and ledgers from one snapshot).

export interface LedgerProgressOptions {
  /**
   * The live definitions (the process's DefinitionsSource), read once per transaction: rows
   * derive with their goal's rules, and writes are fenced by the version.
   */
  definitions: VersionedDefinitions;
}

/**
 * The row as stored: anchored on the ledger of its goal's key; a row of a goal the definitions
 * do not have is kept as it is (p0 = its progress, no key: no event reads it, as the oracle).
 */
function anchor(
  assignment: Assignment,
  definitions: Definitions,
  locked: PlayerLedgerRows,
): StoredAssignment {
  // The row's A/B variant decides its target, hence its threshold.
  const goal = goalOfRow(definitions, assignment);
  if (goal === undefined) {
    const { progress, ...rest } = assignment;
    return {
      ...rest,
      p0: progress,
      anchorSeq: 0,
      anchorSteps: 0,
      anchorDays: 0,
      statKey: '',
      unit: 'steps',
      threshold: Number.NEGATIVE_INFINITY,
    };
  }
  return anchorAssignment({ assignment, ledger: locked.ledgers.get(statKeyOfGoal(goal)), goal });
}

function materialize(stored: StoredAssignment, definitions: Definitions, locked: PlayerLedgerRows) {
  const goal = goalOfRow(definitions, stored);
  if (goal === undefined) {
    const { p0, anchorSeq, anchorSteps, anchorDays, statKey, unit, threshold, ...rest } = stored;
    return { ...rest, progress: p0 };
  }
  // A row anchored before its goal's key changed reads the key it was anchored on.
  const ledger = locked.ledgers.get(stored.statKey) ?? emptyLedger(stored.userId, stored.statKey);
  return materializeAssignment({ stored, ledger, goal });
}

function keysOf(goalIds: Iterable<string>, definitions: Definitions): string[] {
  const keys: string[] = [];
  for (const goalId of goalIds) {
    const goal = definitions.goalsById.get(goalId);
    if (goal !== undefined) keys.push(statKeyOfGoal(goal));
  }
  return keys;
}

function byUser<T extends { userId: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.userId);
    if (group) group.push(row);
    else groups.set(row.userId, [row]);
  }
  return groups;
}

export function createLedgerProgressRepository(
  pool: pg.Pool,
  options: LedgerProgressOptions,
): ProgressRepository {
  /** A transaction behind the definitions fence, run again on fresh definitions if stale. */
  const fenced = <T>(
    fn: (client: pg.PoolClient, definitions: Definitions, version: number) => Promise<T>,
  ): Promise<T> =>
    withLiveDefinitions(options.definitions, (definitions, version) =>
      inTransaction(pool, (client) => fn(client, definitions, version), { begin: FENCED_BEGIN }),
    );

  /** One player's mutation: lock, materialize the locked rows, run `fn`, anchor, write. */
  const mutate = <T>(
    userId: string,
    goalIds: readonly string[],
    fn: (
      current: Map<string, Assignment>,
      definitions: Definitions,
    ) => { write: Assignment[]; result: T },
  ): Promise<T> =>
    fenced(async (client, definitions, definitionsVersion) => {
      const statKeys = keysOf(goalIds, definitions);
      await lockPlayer(client, { definitionsVersion, userId, statKeys, goalIds });
      const locked = await readPlayer(client, userId);
      const current = new Map(
        locked.rows.map((row) => [row.goalId, materialize(row, definitions, locked)]),
      );
      const { write, result } = fn(current, definitions);
      await writeStored(
        client,
        write.map((row) => anchor(row, definitions, locked)),
      );
      return result;
    });

  return {
    async listByUser(userId) {
      const definitions = options.definitions.current();
      const player = await readPlayer(pool, userId);
      return player.rows.map((row) => materialize(row, definitions, player));
    },

    async viewsByUser(userId, { definitions, now }) {
      const { rows, ledgers } = await readPlayerViews(pool, userId);
      return ledgerAssignmentViews({ definitions, rows, ledgers, now });
    },

    async viewsByUsers(userIds, { definitions, now }) {
      const views = new Map<string, Map<string, AssignmentView>>();
      const failed = new Map<string, unknown>();
      for (const [userId, { rows, ledgers }] of await readPlayersViews(pool, userIds)) {
        try {
          views.set(userId, ledgerAssignmentViews({ definitions, rows, ledgers, now }));
        } catch (error) {
          failed.set(userId, error);
        }
      }
      return { views, failed };
    },

    async insertMissing(rows) {
      const created: string[] = [];
      for (const [userId, mine] of byUser(rows)) {
        await fenced(async (client, definitions, definitionsVersion) => {
          const goalIds = [...new Set(mine.map((row) => row.goalId))];
          const statKeys = keysOf(goalIds, definitions);
          // Ledgers only: a row that does not exist cannot be locked, and a concurrent insert
          // of the same row is settled by ON CONFLICT DO NOTHING, as in the per-goal model.
          await lockPlayer(client, { definitionsVersion, userId, statKeys, goalIds: [] });
          const locked = await readPlayer(client, userId);
          const first = new Map<string, Assignment>();
          for (const row of mine) if (!first.has(row.goalId)) first.set(row.goalId, row);
          const write = [...first.values()].map((row) => anchor(row, definitions, locked));
          created.push(...(await insertStoredMissing(client, write)));
        });
      }
      return created;
    },

    async upsertActivation(rows) {
      const out: Assignment[] = [];
      for (const [userId, mine] of byUser(rows)) {
        const goalIds = [...new Set(mine.map((row) => row.goalId))];
        const written = await mutate(userId, goalIds, (current) => {
          const next = new Map<string, Assignment>();
          for (const row of mine) {
            const existing = next.get(row.goalId) ?? current.get(row.goalId);
            next.set(
              row.goalId,
              existing === undefined
                ? row
                : { ...existing, isActive: row.isActive, updatedAt: row.updatedAt },
            );
          }
          const write = [...next.values()];
          return { write, result: write };
        });
        out.push(...written);
      }
      return out;
    },

    async deactivate(userId, goalIds, at) {
      if (goalIds.length === 0) return;
      await mutate(userId, goalIds, (current) => {
        const now = at ?? new Date();
        const write: Assignment[] = [];
        for (const goalId of new Set(goalIds)) {
          const row = current.get(goalId);
          if (row?.isActive) write.push(deactivateAssignment({ row, now }));
        }
        return { write, result: undefined };
      });
    },

    async saveRotated(rows) {
      let existed = 0;
      for (const [userId, mine] of byUser(rows)) {
        const goalIds = [...new Set(mine.map((row) => row.goalId))];
        existed += await mutate(userId, goalIds, (current) => {
          const next = new Map<string, Assignment>();
          for (const row of mine) {
            const existing = next.get(row.goalId) ?? current.get(row.goalId);
            if (existing === undefined) continue;
            // The period state only, as the per-goal repository's UPDATE: activation, assignment
            // time and challenge stay the row's.
            next.set(row.goalId, {
              ...existing,
              progress: row.progress,
              status: row.status,
              completedAt: row.completedAt,
              claimedAt: row.claimedAt,
              baseline: row.baseline,
              periodKey: row.periodKey,
              expiresAt: row.expiresAt,
              lastIncrementDay: row.lastIncrementDay,
              updatedAt: row.updatedAt,
              reopenedAt: row.reopenedAt,
            });
          }
          return { write: [...next.values()], result: next.size };
        });
      }
      return existed;
    },

    resetGoal(userId, goalId, at) {
      return mutate(userId, [goalId], (current) => {
        const row = current.get(goalId);
        if (row === undefined) return { write: [], result: false };
        return { write: [resetAssignment({ row, now: at ?? new Date() })], result: true };
      });
    },

    withClaimTransaction(userId, goalId, fn) {
      return fenced(async (client, definitions, definitionsVersion) => {
        let locked: PlayerLedgerRows | undefined;
        const read = async () => {
          locked = await readPlayer(client, userId);
          return locked;
        };
        const tx: ClaimTransaction = {
          ...claimGrantQueries(client, goalId),
          async lockAssignment() {
            const statKeys = keysOf([goalId], definitions);
            await lockPlayer(client, { definitionsVersion, userId, statKeys, goalIds: [goalId] });
            const player = await read();
            const row = player.rows.find((r) => r.goalId === goalId);
            return row ? materialize(row, definitions, player) : null;
          },
          async listByUser() {
            const player = await read();
            return player.rows.map((row) => materialize(row, definitions, player));
          },
          async markClaimed(row, claimedAt) {
            const player = locked ?? (await read());
            const stored = player.rows.find((r) => r.goalId === goalId);
            if (!stored) {
              throw new Error(`no assignment of goal '${goalId}' for user '${userId}' to claim`);
            }
            const current = materialize(stored, definitions, player);
            const claimed: Assignment = {
              ...current,
              status: 'claimed',
              claimedAt,
              updatedAt: claimedAt,
              periodKey: row.periodKey,
              expiresAt: row.expiresAt,
              reopenedAt: null,
            };
            await writeStored(client, [anchor(claimed, definitions, player)]);
            return claimed;
          },
        };
        return fn(tx);
      });
    },
  };
}
