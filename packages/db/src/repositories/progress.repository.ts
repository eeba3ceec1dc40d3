import type { Assignment } from '@challenges/core';
import type pg from 'pg';
import {
  assignmentColumns,
  decodeAssignment,
  encodeAssignments,
  INSERT_ASSIGNMENTS,
  LIST_BY_USER,
  lastPerKey,
  UPDATE_ROTATED,
} from './assignment-rows.ts';
import { type ClaimTransaction, withClaimTransaction } from './claim-transaction.ts';

const INSERT_MISSING = {
  name: 'goal_progress.insert_missing.v1',
  text: `${INSERT_ASSIGNMENTS} ON CONFLICT (user_id, goal_id) DO NOTHING RETURNING g.goal_id`,
};
const UPSERT_ACTIVATION = {
  name: 'goal_progress.upsert_activation.v1',
  text: `${INSERT_ASSIGNMENTS}
    ON CONFLICT (user_id, goal_id)
    DO UPDATE SET is_active = EXCLUDED.is_active, updated_at = EXCLUDED.updated_at
    RETURNING ${assignmentColumns('g.')}`,
};
const SAVE_ROTATED = { name: 'goal_progress.save_rotated.v1', text: UPDATE_ROTATED };

export interface ProgressRepository {
  /** Every assignment of the user, in no particular order. One indexed query. */
  listByUser(userId: string): Promise<Assignment[]>;
  /** Creates the rows that do not exist yet; returns the goal ids it created. */
  insertMissing(rows: readonly Assignment[]): Promise<string[]>;
  /**
   * Creates missing rows with the given values; existing rows only get is_active (progress
   * kept). Returns the resulting rows, one per distinct (user, goal).
   */
  upsertActivation(rows: readonly Assignment[]): Promise<Assignment[]>;
  /** Sets is_active = false on the user's given goals (missing rows are ignored). */
  deactivate(userId: string, goalIds: readonly string[], at?: Date): Promise<void>;
  /**
   * Writes the period state of rows that rotation reset (progress, status, timestamps,
   * baseline, period key, expiry); returns how many rows existed.
   */
  saveRotated(rows: readonly Assignment[]): Promise<number>;
  /**
   * Dashboard "reset goal": the row goes back to progress 0 / not_started (activation kept;
   * baseline cleared so a relative goal measures from the next event). false when no row.
   */
  resetGoal(userId: string, goalId: string, at?: Date): Promise<boolean>;
  /** Runs fn in one transaction for claiming (userId, goalId); commits unless fn throws. */
  withClaimTransaction<T>(
    userId: string,
    goalId: string,
    fn: (tx: ClaimTransaction) => Promise<T>,
  ): Promise<T>;
}

export function createProgressRepository(pool: pg.Pool): ProgressRepository {
  return {
    async listByUser(userId) {
      const result = await pool.query<unknown[]>({
        ...LIST_BY_USER,
        values: [userId],
        rowMode: 'array',
      });
      return result.rows.map(decodeAssignment);
    },

    async insertMissing(rows) {
      if (rows.length === 0) return [];
      const result = await pool.query<unknown[]>({
        ...INSERT_MISSING,
        values: encodeAssignments(rows),
        rowMode: 'array',
      });
      return result.rows.map((row) => row[0] as string);
    },

    async upsertActivation(rows) {
      if (rows.length === 0) return [];
      const result = await pool.query<unknown[]>({
        ...UPSERT_ACTIVATION,
        values: encodeAssignments(lastPerKey(rows)),
        rowMode: 'array',
      });
      return result.rows.map(decodeAssignment);
    },

    async deactivate(userId, goalIds, at) {
      if (goalIds.length === 0) return;
      await pool.query(
        `UPDATE goal_progress SET is_active = false, updated_at = coalesce($3, now())
          WHERE user_id = $1 AND goal_id = ANY($2::text[]) AND is_active`,
        [userId, goalIds, at ?? null],
      );
    },

    async saveRotated(rows) {
      if (rows.length === 0) return 0;
      const result = await pool.query({
        ...SAVE_ROTATED,
        values: encodeAssignments(lastPerKey(rows)),
      });
      return result.rowCount ?? 0;
    },

    async resetGoal(userId, goalId, at) {
      const result = await pool.query(
        `UPDATE goal_progress
            SET progress = 0, status = 'not_started', completed_at = NULL, claimed_at = NULL,
                baseline = NULL, last_increment_day = NULL, reopened_at = NULL,
                updated_at = coalesce($3, now())
          WHERE user_id = $1 AND goal_id = $2`,
        [userId, goalId, at ?? null],
      );
      return result.rowCount === 1;
    },

    withClaimTransaction(userId, goalId, fn) {
      return withClaimTransaction(pool, userId, goalId, fn);
    },
  };
}
