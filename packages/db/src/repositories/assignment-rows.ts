import type { Assignment } from '@challenges/core';

// Timestamps leave PostgreSQL as epoch milliseconds: parsing a float and `new Date(ms)` costs a
// fraction of pg's timestamptz text parser, and listByUser decodes ~100 rows per request. The
// multiplication happens in numeric (extract returns numeric) so the float is an exact integer.
const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;

/** Column list of an assignment (decoded by ledger-rows.ts's decodeStoredAssignment); `prefix` qualifies columns (e.g. `g.`). */
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

const msOrNull = (date: Date | null) => (date === null ? null : date.getTime());

/**
 * Writes row `i` of the 15 assignment columns of `columns` (the layout of goal_progress's first 15 columns), with
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
