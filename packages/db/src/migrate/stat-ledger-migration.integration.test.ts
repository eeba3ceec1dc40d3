import {
  type Assignment,
  type Definitions,
  type GameEvent,
  materializeAssignment,
  parseDefinitions,
  periodAt,
  type StoredAssignment,
  serializeDefinitions,
  statKeyOfGoal,
  unitOf,
} from '@challenges/core';
import { LedgerStore, makeRow, OracleStore } from '@challenges/core/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAssignmentColumns } from '../repositories/assignment-rows.ts';
import { decodeStoredAssignment, storedAssignmentColumns } from '../repositories/ledger-rows.ts';
import { databaseBeforeMigration, rawGoal as goal, type TestDatabase } from '../testing/index.ts';
import { migrate } from './migrator.ts';

// The stat-ledger migration (docs/event-model.md, Migration) run over rows the per-goal model
// wrote: nothing may be lost. Every row must derive exactly its old state from the (empty)
// ledger, and from there event batches through the ledger model must keep agreeing with the
// per-goal rules applied to the old rows — which they only do if the migration gave every row
// the right stat key and unit and a threshold that makes its next event read it.
const MIGRATION = '20261204120000_stat_ledger';

const definitions: Definitions = parseDefinitions({
  challenges: [
    {
      challengeId: 'c1',
      name: 'c1',
      description: 'c1',
      goals: [
        goal('abs', { statCode: 'kills', targetValue: 10, progressMode: 'absolute' }),
        goal('rel', { statCode: 'score', targetValue: 5, progressMode: 'relative' }),
        goal('inc', { statCode: 'coins', targetValue: 100, progressMode: 'increment' }),
        goal('logins', { statCode: 'login', targetValue: 3 }, { eventSource: 'login' }),
        goal(
          'daily-inc',
          { statCode: 'play', targetValue: 5, progressMode: 'increment' },
          { type: 'increment', daily: true },
        ),
        goal('first', { statCode: 'visit', targetValue: 1 }, { type: 'daily' }),
        goal(
          'weekly',
          { statCode: 'kills', targetValue: 4, progressMode: 'increment' },
          {
            rotation: {
              enabled: true,
              type: 'global',
              schedule: 'weekly',
              timezone: 'Europe/Berlin',
              onExpiry: { resetProgress: true, allowReselection: false },
            },
          },
        ),
      ],
    },
  ],
});

const DAY1 = new Date('2026-03-04T09:00:00.000Z');
const EARLIER = new Date('2026-03-03T08:00:00.000Z');
const byId = (id: string) => definitions.goalsById.get(id)!;
const periodOf = (id: string, at: Date) => periodAt({ rotation: byId(id).rotation!, now: at });

function oldRows(): Assignment[] {
  const rows: Assignment[] = [];
  const lastWeek = periodOf('weekly', new Date('2026-02-24T12:00:00.000Z'));
  const thisWeek = periodOf('weekly', DAY1);
  const firstToday = periodOf('first', DAY1);
  const firstYesterday = periodOf('first', EARLIER);
  for (const userId of ['u1', 'u2']) {
    const row = (over: Partial<Assignment> & { goalId: string }) =>
      makeRow({ userId, challengeId: 'c1', assignedAt: EARLIER, updatedAt: EARLIER, ...over });
    const completed = { status: 'completed' as const, completedAt: EARLIER };
    rows.push(
      ...(userId === 'u1'
        ? [
            row({ goalId: 'abs', progress: 7, status: 'in_progress' }),
            row({ goalId: 'rel', progress: 0, baseline: null }),
            row({ goalId: 'inc', progress: 90, status: 'in_progress' }),
            row({ goalId: 'logins', progress: 2, status: 'in_progress' }),
            // Already counted today: the next event today must not count it again.
            row({
              goalId: 'daily-inc',
              progress: 3,
              status: 'in_progress',
              lastIncrementDay: '2026-03-04',
            }),
            row({
              goalId: 'first',
              progress: 0,
              periodKey: firstToday.key,
              expiresAt: firstToday.end,
            }),
            // Last week's period: its next event rotates it.
            row({
              goalId: 'weekly',
              progress: 4,
              ...completed,
              periodKey: lastWeek.key,
              expiresAt: lastWeek.end,
            }),
            row({ goalId: 'gone', progress: 5, status: 'in_progress' }),
          ]
        : [
            row({ goalId: 'abs', progress: 12, ...completed }),
            row({ goalId: 'rel', progress: 3, status: 'in_progress', baseline: 40 }),
            row({
              goalId: 'inc',
              progress: 100,
              status: 'claimed',
              completedAt: EARLIER,
              claimedAt: EARLIER,
            }),
            row({ goalId: 'logins', progress: 1, status: 'in_progress', isActive: false }),
            row({
              goalId: 'daily-inc',
              progress: 2,
              status: 'in_progress',
              lastIncrementDay: '2026-03-03',
            }),
            row({
              goalId: 'first',
              progress: 1,
              ...completed,
              periodKey: firstYesterday.key,
              expiresAt: firstYesterday.end,
            }),
            row({
              goalId: 'weekly',
              progress: 1,
              status: 'in_progress',
              periodKey: thisWeek.key,
              expiresAt: thisWeek.end,
            }),
          ]),
    );
  }
  return rows;
}

let db: TestDatabase;
let client: pg.Client;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ db, client, close } = await databaseBeforeMigration(MIGRATION));
});
afterAll(async () => close?.());

async function storedRows(): Promise<Map<string, StoredAssignment>> {
  const { rows } = await client.query<unknown[]>({
    text: `SELECT ${storedAssignmentColumns()} FROM goal_progress ORDER BY user_id, goal_id`,
    rowMode: 'array',
  });
  return new Map(
    rows.map(decodeStoredAssignment).map((row) => [`${row.userId}/${row.goalId}`, row]),
  );
}

const stat = (id: string, userId: string, statCode: string, fields: object): GameEvent => ({
  type: 'stat',
  id,
  userId,
  statCode,
  receivedAt: 0,
  ...fields,
});
const login = (id: string, userId: string): GameEvent => ({
  type: 'login',
  id,
  userId,
  receivedAt: 0,
});

/** Batches on both sides of the old rows' days and periods (DAY1, later that day, next week). */
function batches(): { now: Date; events: GameEvent[] }[] {
  const all = (suffix: string, kills: number, score: number) =>
    ['u1', 'u2'].flatMap((u) => [
      stat(`${suffix}-k-${u}`, u, 'kills', { value: kills, inc: 1 }),
      stat(`${suffix}-s-${u}`, u, 'score', { value: score }),
      stat(`${suffix}-c-${u}`, u, 'coins', { inc: 6 }),
      login(`${suffix}-l-${u}`, u),
      stat(`${suffix}-p-${u}`, u, 'play', { inc: 1 }),
      stat(`${suffix}-v-${u}`, u, 'visit', { inc: 1 }),
    ]);
  return [
    { now: DAY1, events: [stat('only-coins', 'u1', 'coins', { inc: 5 })] },
    { now: new Date('2026-03-04T15:00:00.000Z'), events: all('a', 8, 44) },
    { now: new Date('2026-03-04T20:00:00.000Z'), events: all('b', 11, 46) },
    { now: new Date('2026-03-05T07:00:00.000Z'), events: all('c', 2, 50) },
    { now: new Date('2026-03-12T07:00:00.000Z'), events: all('d', 30, 60) },
  ];
}

describe(`migration ${MIGRATION}`, () => {
  it('anchors every old row on an empty ledger: same state derived, and events keep agreeing', async () => {
    await client.query(
      `INSERT INTO definition_versions (version, content, checksum, created_by)
       VALUES (1, $1, 'test', 'test')`,
      [JSON.stringify(serializeDefinitions(definitions))],
    );
    await client.query('INSERT INTO definition_state (id, live_version) VALUES (1, 1)');
    const old = oldRows();
    await client.query(INSERT_ASSIGNMENTS, encodeAssignments(old));

    await migrate({ databaseUrl: db.url });

    const stored = await storedRows();
    expect(stored.size).toBe(old.length);
    const ledgerRows = await client.query('SELECT count(*)::int AS n FROM stat_ledger');
    expect(ledgerRows.rows[0].n).toBe(0);
    for (const row of old) {
      const migrated = stored.get(`${row.userId}/${row.goalId}`)!;
      expect(migrated.threshold).toBe(Number.NEGATIVE_INFINITY);
      expect([migrated.anchorSeq, migrated.anchorSteps, migrated.anchorDays]).toEqual([0, 0, 0]);
      const goalDef = definitions.goalsById.get(row.goalId);
      if (goalDef === undefined) {
        // Not in the live definitions: no key, no unit; its stored state is kept as it was.
        expect(migrated.statKey).toBe('');
        expect(migrated.p0).toBe(row.progress);
        continue;
      }
      expect(migrated.statKey).toBe(statKeyOfGoal(goalDef));
      expect(migrated.unit).toBe(unitOf(goalDef));
      expect(materializeAssignment({ stored: migrated, ledger: undefined, goal: goalDef })).toEqual(
        row,
      );
    }

    // From here the per-goal rules on the old rows and the ledger model on the migrated rows
    // must read the same after every batch (what the worker does, in memory).
    const oracle = new OracleStore(definitions);
    for (const row of old) oracle.save(row.userId, [row]);
    const ledger = new LedgerStore(definitions);
    ledger.load([...stored.values()].filter((row) => row.statKey !== ''));
    const userIds = [...new Set(old.map((row) => row.userId))];
    for (const { now, events } of batches()) {
      oracle.applyBatch(events, now);
      ledger.applyBatch(events, now);
      for (const userId of userIds) {
        const expected = oracle.rows(userId);
        for (const [goalId, derived] of ledger.rows(userId)) {
          const key = `${userId}/${goalId}`;
          expect({ key, ...derived, updatedAt: null }).toEqual({
            key,
            ...expected.get(goalId)!,
            updatedAt: null,
          });
        }
      }
    }
    // The first events of each key read every migrated row once and anchor it exactly.
    expect(ledger.stats.written).toBeGreaterThan(0);
    for (const userId of userIds) {
      for (const row of ledger.stored(userId).values()) {
        if (row.isActive) expect(row.threshold).not.toBe(Number.NEGATIVE_INFINITY);
      }
    }
  });
});

// Rows as the per-goal model wrote them, before the migration added the ledger columns.

/** Column arrays for UNNEST_ASSIGNMENTS. */
function encodeAssignments(rows: readonly Assignment[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 15 }, () => new Array(rows.length));
  rows.forEach((row, i) => {
    writeAssignmentColumns(columns, i, row, row.progress);
  });
  return columns;
}

const ts = (column: string) => `to_timestamp(${column} / 1000.0)`;

/** `FROM` item naming the columns of encodeAssignments as `u.*`. */
const UNNEST_ASSIGNMENTS = `unnest(
    $1::text[], $2::text[], $3::text[], $4::int4[], $5::text[], $6::float8[], $7::float8[],
    $8::bool[], $9::float8[], $10::float8[], $11::float8[], $12::text[], $13::text[], $14::float8[],
    $15::float8[]
  ) AS u(user_id, goal_id, challenge_id, progress, status, completed_ms, claimed_ms, is_active,
         assigned_ms, expires_ms, baseline, period_key, last_increment_day, updated_ms, reopened_ms)`;

const INSERT_ASSIGNMENTS = `INSERT INTO goal_progress AS g (
    user_id, goal_id, challenge_id, progress, status, completed_at, claimed_at, is_active,
    assigned_at, expires_at, baseline, period_key, last_increment_day, updated_at, reopened_at)
  SELECT u.user_id, u.goal_id, u.challenge_id, u.progress, u.status, ${ts('u.completed_ms')},
         ${ts('u.claimed_ms')}, u.is_active, ${ts('u.assigned_ms')}, ${ts('u.expires_ms')},
         u.baseline, u.period_key, u.last_increment_day, ${ts('u.updated_ms')},
         ${ts('u.reopened_ms')}
    FROM ${UNNEST_ASSIGNMENTS}`;
