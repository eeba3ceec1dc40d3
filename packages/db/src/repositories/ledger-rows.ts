import type { GoalStatus, StatLedger, StoredAssignment, ThresholdUnit } from '@challenges/core';
import { assignmentColumns, writeAssignmentColumns } from './assignment-rows.ts';

// Codecs of the stat-ledger model's rows (docs/event-model.md), extending assignment-rows.ts:
// the first 15 columns are an assignment's (with p0 as its progress), timestamps leave
// PostgreSQL as epoch milliseconds, and int8 counters as float8 (exact up to 2^53, far beyond
// any ledger; pg would return int8 as a string).

/** Column list matching decodeStoredAssignment; `prefix` qualifies columns (e.g. `g.`). */
export function storedAssignmentColumns(prefix = ''): string {
  return [
    assignmentColumns(prefix),
    `${prefix}anchor_seq::float8`,
    `${prefix}anchor_steps::float8`,
    `${prefix}anchor_days`,
    `${prefix}stat_key`,
    `${prefix}unit`,
    `${prefix}threshold`,
    `${prefix}variant_id`,
  ].join(', ');
}

/** How many columns storedAssignmentColumns() lists. */
export const STORED_COLUMN_COUNT = 22;

const dateOrNull = (value: number | null) => (value === null ? null : new Date(value));

/**
 * One row of `storedAssignmentColumns()` fetched with rowMode 'array'. A row whose goal was not
 * in the live definitions when it was anchored has no stat key or unit (NULL): it decodes with
 * an empty key, which no ledger has, so it derives its p0 like a frozen row.
 */
export function decodeStoredAssignment(row: unknown[]): StoredAssignment {
  // One object literal: decoding into an Assignment and re-spreading it without `progress` cost
  // ~18 % of an initialize's CPU (object rest is V8's slow path), measured on 500 rows.
  const stored: StoredAssignment = {
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
  // The A/B variant (absent, not null, for rows without one: as core builds them).
  if (row[21] !== null && row[21] !== undefined) stored.variantId = row[21] as string;
  return stored;
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

const ts = (column: string) => `to_timestamp(${column} / 1000.0)`;

/** Column arrays for `UNNEST_STORED` (parameters `$first` … `$first+20`). */
export function encodeStoredAssignments(rows: readonly StoredAssignment[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 22 }, () => new Array(rows.length));
  rows.forEach((row, i) => {
    writeAssignmentColumns(columns, i, row, row.p0);
    columns[15]![i] = row.anchorSeq;
    columns[16]![i] = row.anchorSteps;
    columns[17]![i] = row.anchorDays;
    columns[18]![i] = row.statKey;
    columns[19]![i] = row.unit;
    // pg sends -Infinity as the float8 text '-Infinity'.
    columns[20]![i] = row.threshold;
    columns[21]![i] = row.variantId ?? null;
  });
  return columns;
}

/** `FROM` item naming the columns of encodeStoredAssignments as `s.*`, parameters from `$first`. */
function unnestStored(first: number): string {
  const types = [
    'text',
    'text',
    'text',
    'int4',
    'text',
    'float8',
    'float8',
    'bool',
    'float8',
    'float8',
    'float8',
    'text',
    'text',
    'float8',
    'float8',
    'float8',
    'float8',
    'int4',
    'text',
    'text',
    'float8',
    'text',
  ];
  const params = types.map((type, i) => `$${first + i}::${type}[]`).join(', ');
  return `unnest(${params}) AS s(user_id, goal_id, challenge_id, p0, status, completed_ms,
      claimed_ms, is_active, assigned_ms, expires_ms, baseline, period_key, last_increment_day,
      updated_ms, reopened_ms, anchor_seq, anchor_steps, anchor_days, stat_key, unit, threshold,
      variant_id)`;
}

/** Every stored column from `s.*` (for INSERT … SELECT and UPDATE … SET). */
const STORED_VALUES: [string, string][] = [
  ['challenge_id', 's.challenge_id'],
  ['progress', 's.p0'],
  ['status', 's.status'],
  ['completed_at', ts('s.completed_ms')],
  ['claimed_at', ts('s.claimed_ms')],
  ['is_active', 's.is_active'],
  ['assigned_at', ts('s.assigned_ms')],
  ['expires_at', ts('s.expires_ms')],
  ['baseline', 's.baseline'],
  ['period_key', 's.period_key'],
  ['last_increment_day', 's.last_increment_day'],
  ['updated_at', ts('s.updated_ms')],
  ['reopened_at', ts('s.reopened_ms')],
  ['anchor_seq', 's.anchor_seq::int8'],
  ['anchor_steps', 's.anchor_steps::int8'],
  ['anchor_days', 's.anchor_days'],
  ['stat_key', 's.stat_key'],
  ['unit', 's.unit'],
  ['threshold', 's.threshold'],
  ['variant_id', 's.variant_id'],
];

/** Inserts stored rows (`unnestStored(first)`); the caller adds its ON CONFLICT. */
export function insertStored(first: number): string {
  return `INSERT INTO goal_progress AS g (user_id, goal_id, ${STORED_VALUES.map(([c]) => c).join(', ')})
    SELECT s.user_id, s.goal_id, ${STORED_VALUES.map(([, v]) => v).join(', ')}
      FROM ${unnestStored(first)}`;
}

/** The recorded A/B variant never changes once set (re-weighting moves new players only). */
const updated = (column: string) =>
  column === 'variant_id' ? 'COALESCE(g.variant_id, EXCLUDED.variant_id)' : `EXCLUDED.${column}`;

/** Writes whole stored rows (`unnestStored(first)`), inserting the missing ones. */
export function upsertStored(first: number): string {
  return `${insertStored(first)}
    ON CONFLICT (user_id, goal_id) DO UPDATE SET
      ${STORED_VALUES.map(([c]) => `${c} = ${updated(c)}`).join(', ')}`;
}

/** Column arrays of ledgers for `unnestLedgers(first)` (8 parameters). */
export function encodeLedgers(ledgers: readonly StatLedger[]): unknown[][] {
  return [
    ledgers.map((l) => l.userId),
    ledgers.map((l) => l.statKey),
    ledgers.map((l) => l.seq),
    ledgers.map((l) => l.value),
    ledgers.map((l) => l.valueSeq),
    ledgers.map((l) => l.steps),
    ledgers.map((l) => l.days),
    ledgers.map((l) => l.lastDay),
  ];
}

export function unnestLedgers(first: number): string {
  const types = ['text', 'text', 'float8', 'float8', 'float8', 'float8', 'int4', 'text'];
  const params = types.map((type, i) => `$${first + i}::${type}[]`).join(', ');
  return `unnest(${params}) AS n(user_id, stat_key, seq, value, value_seq, steps, days, last_day)`;
}

/** Last occurrence wins: one statement may not update the same row twice. */
export function lastPerRow(rows: readonly StoredAssignment[]): StoredAssignment[] {
  const byKey = new Map<string, StoredAssignment>();
  for (const row of rows) byKey.set(`${row.userId}\u0000${row.goalId}`, row);
  return [...byKey.values()];
}
