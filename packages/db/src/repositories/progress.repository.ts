import type { Assignment, AssignmentView, Definitions } from '@challenges/core';
import type { ClaimTransaction } from './claim-transaction.ts';

// What the api's use cases read and write goal rows through. Implemented on the stat-ledger
// model by ledger-progress.repository.ts (createLedgerProgressRepository).

export interface ProgressRepository {
  /** Every assignment of the user, in no particular order. One statement. */
  listByUser(userId: string): Promise<Assignment[]>;
  /**
   * `assignmentViews(definitions, listByUser(userId), now)` without building the Assignments:
   * the hot read of list and initialize. One statement; rows of unknown goals are left out.
   */
  viewsByUser(
    userId: string,
    options: { definitions: Definitions; now: Date },
  ): Promise<Map<string, AssignmentView>>;
  /**
   * viewsByUser of many players in one statement (the push streams' re-derive): every player
   * is in `views` (no rows: an empty map) unless deriving their rows threw (`failed`).
   */
  viewsByUsers(
    userIds: readonly string[],
    options: { definitions: Definitions; now: Date },
  ): Promise<{ views: Map<string, Map<string, AssignmentView>>; failed: Map<string, unknown> }>;
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
