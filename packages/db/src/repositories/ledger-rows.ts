import type { GoalStatus, StatLedger, StoredAssignment, ThresholdUnit } from '@challenges/core';

// Codecs of the stat-ledger model's rows (docs/event-model.md), in the style of
// assignment-rows.ts: timestamps leave PostgreSQL as epoch milliseconds, and int8 counters as
// float8 (exact up to 2^53, far beyond any ledger; pg would return int8 as a string).
const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;

/** Column list matching decodeStoredAssignment; `prefix` qualifies columns (e.g. `g.`). */
export function storedAssignmentColumns(prefix = ''): string {
  return [
    `${prefix}user_id`,
    `${prefix}goal_id`,
    `${prefix}challenge_id`,
    `${prefix}progress`,
    `${prefix}status`,
    ms(`${prefix}completed_at`),
    ms(`${prefix}claimed_at`),
    `${prefix}is_active`,
    ms(`${prefix}assigned_at`),
    ms(`${prefix}expires_at`),
    `${prefix}baseline`,
    `${prefix}period_key`,
    `${prefix}last_increment_day`,
    ms(`${prefix}updated_at`),
    ms(`${prefix}reopened_at`),
    `${prefix}anchor_seq::float8`,
    `${prefix}anchor_steps::float8`,
    `${prefix}anchor_days`,
    `${prefix}stat_key`,
    `${prefix}unit`,
    `${prefix}threshold`,
  ].join(', ');
}

const dateOrNull = (value: number | null) => (value === null ? null : new Date(value));

/**
 * One row of `storedAssignmentColumns()` fetched with rowMode 'array'. A row whose goal was not
 * in the live definitions when it was anchored has no stat key or unit (NULL): it decodes with
 * an empty key, which no ledger has, so it derives its p0 like a frozen row.
 */
export function decodeStoredAssignment(row: unknown[]): StoredAssignment {
  return {
    userId: row[0] as string,
    goalId: row[1] as string,
    challengeId: row[2] as string,
    p0: row[3] as number,
    status: row[4] as GoalStatus,
    completedAt: dateOrNull(row[5] as number | null),
    claimedAt: dateOrNull(row[6] as number | null),
    isActive: row[7] as boolean,
    assignedAt: new Date(row[8] as number),
    expiresAt: dateOrNull(row[9] as number | null),
    baseline: row[10] as number | null,
    periodKey: row[11] as string | null,
    lastIncrementDay: row[12] as string | null,
    updatedAt: new Date(row[13] as number),
    reopenedAt: dateOrNull(row[14] as number | null),
    anchorSeq: row[15] as number,
    anchorSteps: row[16] as number,
    anchorDays: row[17] as number,
    statKey: (row[18] as string | null) ?? '',
    unit: ((row[19] as string | null) ?? 'steps') as ThresholdUnit,
    // pg parses float8 '-Infinity' to -Infinity.
    threshold: row[20] as number | null,
  };
}

/** Column list matching decodeLedger. */
export const LEDGER_COLUMNS =
  'user_id, stat_key, seq::float8, value, value_seq::float8, steps::float8, days, last_day';

/** One row of LEDGER_COLUMNS fetched with rowMode 'array'. */
export function decodeLedger(row: unknown[]): StatLedger {
  return {
    userId: row[0] as string,
    statKey: row[1] as string,
    seq: row[2] as number,
    value: row[3] as number | null,
    valueSeq: row[4] as number,
    steps: row[5] as number,
    days: row[6] as number,
    lastDay: row[7] as string | null,
  };
}
