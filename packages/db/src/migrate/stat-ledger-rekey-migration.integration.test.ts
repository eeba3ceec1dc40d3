import {
  type Definitions,
  materializeAssignment,
  parseDefinitions,
  serializeDefinitions,
} from '@challenges/core';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeStoredAssignment, storedAssignmentColumns } from '../repositories/ledger-rows.ts';
import {
  type DatabaseBeforeMigration,
  databaseBeforeMigration,
  rawGoal as goal,
} from '../testing/index.ts';
import { migrate } from './migrator.ts';

// The deploy step of the wired ledger model (docs/event-model.md, Status): rows the per-goal
// processes wrote after 20261204120000_stat_ledger get their key and unit from the live
// definitions and an empty-ledger anchor — but only while no ledger process has run.
const MIGRATION = '20261205120000_stat_ledger_rekey';

const definitions: Definitions = parseDefinitions({
  challenges: [
    {
      challengeId: 'c1',
      name: 'c1',
      description: 'c1',
      goals: [
        goal('inc', { statCode: 'coins', targetValue: 100, progressMode: 'increment' }),
        goal('abs', { statCode: 'kills', targetValue: 10, progressMode: 'absolute' }),
      ],
    },
  ],
});

let opened: DatabaseBeforeMigration | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

/** A database one migration short, with the definitions live and the rows per-goal code wrote. */
async function perGoalRows() {
  opened = await databaseBeforeMigration(MIGRATION);
  const { client } = opened;
  await client.query(
    `INSERT INTO definition_versions (version, content, checksum, created_by)
     VALUES (1, $1, 'test', 'test')`,
    [JSON.stringify(serializeDefinitions(definitions))],
  );
  await client.query('INSERT INTO definition_state (id, live_version) VALUES (1, 1)');
  // `inc` inserted by the per-goal api after the first migration (no key); `abs` keyed on the
  // stat its goal tracked before a publish moved it to `kills` (and a finite threshold).
  await client.query(
    `INSERT INTO goal_progress (user_id, goal_id, challenge_id, progress, status, is_active,
                                assigned_at, updated_at, stat_key, unit, threshold)
     VALUES ('u1', 'inc', 'c1', 42, 'in_progress', true, now(), now(), NULL, NULL, '-Infinity'),
            ('u1', 'abs', 'c1', 7, 'in_progress', true, now(), now(), 'stat:score', 'steps', 9)`,
  );
  return opened;
}

/** The stored rows; `variant_id` (a later migration's column) read as NULL before and after. */
async function rows(db: DatabaseBeforeMigration) {
  const columns = storedAssignmentColumns().replace(/\bvariant_id$/, 'NULL::text AS variant_id');
  const { rows } = await db.client.query<unknown[]>({
    text: `SELECT ${columns} FROM goal_progress ORDER BY goal_id`,
    rowMode: 'array',
  });
  return rows.map(decodeStoredAssignment);
}

describe(`migration ${MIGRATION}`, () => {
  it('keys every per-goal row on its live goal, anchored on an empty ledger', async () => {
    const db = await perGoalRows();
    await migrate({ databaseUrl: db.db.url });
    const [abs, inc] = await rows(db);
    expect([abs, inc].map((r) => [r!.goalId, r!.statKey, r!.unit, r!.threshold])).toEqual([
      ['abs', 'stat:kills', 'value', Number.NEGATIVE_INFINITY],
      ['inc', 'stat:coins', 'steps', Number.NEGATIVE_INFINITY],
    ]);
    for (const row of [abs!, inc!]) {
      const goalDef = definitions.goalsById.get(row.goalId)!;
      const derived = materializeAssignment({ stored: row, ledger: undefined, goal: goalDef });
      expect(derived.progress).toBe(row.goalId === 'inc' ? 42 : 7);
    }
  });

  it('changes nothing once a ledger process has run (stat_ledger not empty)', async () => {
    const db = await perGoalRows();
    await db.client.query(
      `INSERT INTO stat_ledger (user_id, stat_key, seq, steps) VALUES ('u1', 'stat:coins', 5, 5)`,
    );
    const before = await rows(db);
    await migrate({ databaseUrl: db.db.url });
    expect(await rows(db)).toEqual(before);
  });
});
