import type { Assignment, GoalStatus } from '@challenges/core';

// Timestamps leave PostgreSQL as epoch milliseconds: parsing a float and `new Date(ms)` costs a
// fraction of pg's timestamptz text parser, and listByUser decodes ~100 rows per request. The
// multiplication happens in numeric (extract returns numeric) so the float is an exact integer.
const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;

/** Column list matching decodeAssignment; `prefix` qualifies columns (e.g. `g.`). */
export function assignmentColumns(prefix = ''): string {
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
  ].join(', ');
}

// Named statements are parsed and planned once per pooled connection; the list query runs on
// every GET /v1/challenges. The (user_id, goal_id) primary key serves `user_id = $1`, and the
// hash partitioning prunes to one partition even for the generic plan. Shared with the claim
// transaction: pg rejects one statement name with two different texts on a connection.
export const LIST_BY_USER = {
  name: 'goal_progress.list_by_user.v1',
  text: `SELECT ${assignmentColumns()} FROM goal_progress WHERE user_id = $1`,
};

const dateOrNull = (value: number | null) => (value === null ? null : new Date(value));

/** One row of `assignmentColumns()` fetched with rowMode 'array'. */
export function decodeAssignment(row: unknown[]): Assignment {
  return {
    userId: row[0] as string,
    goalId: row[1] as string,
    challengeId: row[2] as string,
    progress: row[3] as number,
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
  };
}

const msOrNull = (date: Date | null) => (date === null ? null : date.getTime());

/**
 * Writes row `i` of the 15 assignment columns of `columns` (encodeAssignments' layout), with
 * `progress` in column 3; ledger-rows.ts appends its own columns after these.
 */
export function writeAssignmentColumns(
  columns: unknown[][],
  i: number,
  row: Omit<Assignment, 'progress'>,
  progress: number,
): void {
  columns[0]![i] = row.userId;
  columns[1]![i] = row.goalId;
  columns[2]![i] = row.challengeId;
  columns[3]![i] = progress;
  columns[4]![i] = row.status;
  columns[5]![i] = msOrNull(row.completedAt);
  columns[6]![i] = msOrNull(row.claimedAt);
  columns[7]![i] = row.isActive;
  columns[8]![i] = row.assignedAt.getTime();
  columns[9]![i] = msOrNull(row.expiresAt);
  columns[10]![i] = row.baseline;
  columns[11]![i] = row.periodKey;
  columns[12]![i] = row.lastIncrementDay;
  columns[13]![i] = row.updatedAt.getTime();
  columns[14]![i] = msOrNull(row.reopenedAt);
}

/**
 * Column arrays for `unnest($1::text[], …)`: one statement carries any number of rows, and the
 * statement text stays the same so it can be prepared once per connection.
 */
export function encodeAssignments(rows: readonly Assignment[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 15 }, () => new Array(rows.length));
  rows.forEach((row, i) => {
    writeAssignmentColumns(columns, i, row, row.progress);
  });
  return columns;
}

const ts = (column: string) => `to_timestamp(${column} / 1000.0)`;

/** `FROM` item naming the columns of encodeAssignments as `u.*`. */
export const UNNEST_ASSIGNMENTS = `unnest(
    $1::text[], $2::text[], $3::text[], $4::int4[], $5::text[], $6::float8[], $7::float8[],
    $8::bool[], $9::float8[], $10::float8[], $11::float8[], $12::text[], $13::text[], $14::float8[],
    $15::float8[]
  ) AS u(user_id, goal_id, challenge_id, progress, status, completed_ms, claimed_ms, is_active,
         assigned_ms, expires_ms, baseline, period_key, last_increment_day, updated_ms, reopened_ms)`;

export const INSERT_ASSIGNMENTS = `INSERT INTO goal_progress AS g (
    user_id, goal_id, challenge_id, progress, status, completed_at, claimed_at, is_active,
    assigned_at, expires_at, baseline, period_key, last_increment_day, updated_at, reopened_at)
  SELECT u.user_id, u.goal_id, u.challenge_id, u.progress, u.status, ${ts('u.completed_ms')},
         ${ts('u.claimed_ms')}, u.is_active, ${ts('u.assigned_ms')}, ${ts('u.expires_ms')},
         u.baseline, u.period_key, u.last_increment_day, ${ts('u.updated_ms')},
         ${ts('u.reopened_ms')}
    FROM ${UNNEST_ASSIGNMENTS}`;

export const UPDATE_ROTATED = `UPDATE goal_progress AS g
     SET progress = u.progress, status = u.status, completed_at = ${ts('u.completed_ms')},
         claimed_at = ${ts('u.claimed_ms')}, baseline = u.baseline, period_key = u.period_key,
         expires_at = ${ts('u.expires_ms')},
         last_increment_day = u.last_increment_day,
         updated_at = ${ts('u.updated_ms')}, reopened_at = ${ts('u.reopened_ms')}
    FROM ${UNNEST_ASSIGNMENTS}
   WHERE g.user_id = u.user_id AND g.goal_id = u.goal_id`;

/** Last occurrence wins: one statement may not update the same row twice. */
export function lastPerKey<T extends { userId: string; goalId: string }>(rows: readonly T[]): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) byKey.set(`${row.userId}\u0000${row.goalId}`, row);
  return byKey.size === rows.length ? [...rows] : [...byKey.values()];
}
