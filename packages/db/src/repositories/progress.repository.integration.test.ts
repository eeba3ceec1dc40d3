import { makeDefinitions, makeGoal, makeRow } from '@challenges/core/testing';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { usePublishedDefinitions, useTestDatabase } from '../testing/vitest.ts';
import { READ_PLAYER } from './ledger-player.ts';
import { createLedgerProgressRepository } from './ledger-progress.repository.ts';
import type { ProgressRepository } from './progress.repository.ts';

const database = useTestDatabase({ max: 4 });
/** Goals g0…g2 (increment on `kills`), for the ledger model that derives progress from them. */
const definitions = makeDefinitions(
  ['g0', 'g1', 'g2'].map((goalId) =>
    makeGoal({ goalId, requirement: { progressMode: 'increment' } }),
  ),
);
const live = usePublishedDefinitions(database, definitions);
let pool: pg.Pool;
let repo: ProgressRepository;

beforeAll(() => {
  pool = database.pool;
});

/** When the builder's rows were assigned (and last updated). */
const T0 = makeRow().assignedAt;

const byGoal = <T extends { goalId: string }>(rows: T[]) =>
  [...rows].sort((a, b) => a.goalId.localeCompare(b.goalId));

describe('progress repository', () => {
  beforeAll(() => {
    repo = createLedgerProgressRepository(pool, { definitions: live });
  });

  it('round-trips every field of an assignment, dates to the millisecond', async () => {
    const full = {
      ...makeRow({ goalId: 'g1' }),
      progress: 7,
      status: 'completed' as const,
      completedAt: new Date('2026-03-01T11:22:33.456Z'),
      claimedAt: new Date('2026-03-01T12:00:00.001Z'),
      isActive: false,
      expiresAt: new Date('2026-03-02T00:00:00.000Z'),
      baseline: 12.5,
      periodKey: '2026-03-01T00:00:00.000Z',
      lastIncrementDay: '2026-03-01',
      reopenedAt: new Date('2026-03-01T00:00:00.007Z'),
      assignedAt: new Date('2026-03-01T10:00:00.123Z'),
      updatedAt: new Date('2026-03-01T10:00:00.124Z'),
    };
    expect(await repo.insertMissing([full, makeRow({ goalId: 'g2', userId: 'other' })])).toEqual([
      'g1',
      'g2',
    ]);
    expect(await repo.listByUser('u1')).toEqual([full]);
    const [other] = await repo.listByUser('other');
    expect(other).toEqual(makeRow({ goalId: 'g2', userId: 'other' }));
    expect(await repo.listByUser('nobody')).toEqual([]);
  });

  it('listByUser is one statement probing one partition of each table, even as a generic plan', async () => {
    // What a named statement runs after a few executions: the generic plan, pruned at startup.
    const client = await pool.connect();
    try {
      await client.query('SET plan_cache_mode = force_generic_plan');
      await client.query('SET enable_seqscan = off'); // an empty table would otherwise seq-scan
      await client.query(`PREPARE q(text) AS ${READ_PLAYER.text}`);
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE q('u1')`);
      const plan = JSON.stringify(rows[0]['QUERY PLAN']);
      expect(plan.match(/"Relation Name":"goal_progress_p\d"/g)).toHaveLength(1);
      expect(plan.match(/"Relation Name":"stat_ledger_p\d"/g)).toHaveLength(1);
      expect(plan).toContain('"Index Name":"goal_progress_p');
      expect(plan).toContain('"Index Name":"stat_ledger_p');
    } finally {
      client.release(true); // drop the connection with its session settings
    }
  });

  it('insertMissing creates only the rows that do not exist and keeps existing ones', async () => {
    await repo.insertMissing([makeRow({ goalId: 'g1', progress: 5, status: 'in_progress' })]);
    const created = await repo.insertMissing([
      makeRow({ goalId: 'g1' }),
      makeRow({ goalId: 'g2' }),
      makeRow({ goalId: 'g2' }),
    ]);
    expect(created).toEqual(['g2']);
    const rows = byGoal(await repo.listByUser('u1'));
    expect(rows.map((row) => [row.goalId, row.progress, row.status])).toEqual([
      ['g1', 5, 'in_progress'],
      ['g2', 0, 'not_started'],
    ]);
    expect(await repo.insertMissing([])).toEqual([]);
  });

  it('upsertActivation creates missing rows and only flips is_active on existing ones', async () => {
    await repo.insertMissing([makeRow({ goalId: 'g1', progress: 3, status: 'in_progress' })]);
    const later = new Date('2026-03-05T00:00:00.000Z');
    const result = await repo.upsertActivation([
      makeRow({ goalId: 'g1', isActive: false, assignedAt: later, updatedAt: later }),
      makeRow({ goalId: 'g2', isActive: true, assignedAt: later, updatedAt: later }),
      makeRow({ goalId: 'g2', isActive: false, assignedAt: later, updatedAt: later }),
    ]);
    expect(byGoal(result).map((r) => [r.goalId, r.isActive, r.progress, r.assignedAt])).toEqual([
      ['g1', false, 3, T0],
      ['g2', false, 0, later],
    ]);
    expect(byGoal(await repo.listByUser('u1'))).toEqual(byGoal(result));
  });

  it('deactivate touches only the given goals of the given user', async () => {
    await repo.insertMissing([
      makeRow({ goalId: 'g1' }),
      makeRow({ goalId: 'g2' }),
      makeRow({ goalId: 'g1', userId: 'other' }),
    ]);
    const at = new Date('2026-03-03T00:00:00.000Z');
    await repo.deactivate('u1', ['g1', 'missing'], at);
    const rows = byGoal(await repo.listByUser('u1'));
    expect(rows.map((row) => [row.goalId, row.isActive])).toEqual([
      ['g1', false],
      ['g2', true],
    ]);
    expect(rows[0]?.updatedAt).toEqual(at);
    expect((await repo.listByUser('other'))[0]?.isActive).toBe(true);
  });

  it('saveRotated writes the period state of each given row and nothing else', async () => {
    await repo.insertMissing([
      {
        ...makeRow({ goalId: 'g1', progress: 9, status: 'claimed', periodKey: 'p1' }),
        completedAt: T0,
        claimedAt: T0,
        lastIncrementDay: '2026-03-01',
      },
      { ...makeRow({ goalId: 'g2', progress: 4 }), lastIncrementDay: '2026-03-01' },
    ]);
    const at = new Date('2026-03-02T00:00:00.500Z');
    const updated = await repo.saveRotated([
      makeRow({
        goalId: 'g1',
        isActive: false, // not a rotation field: must stay true
        baseline: 100,
        periodKey: 'p2',
        expiresAt: new Date('2026-03-03T00:00:00.000Z'),
        reopenedAt: at,
        updatedAt: at,
      }),
      makeRow({
        goalId: 'g2',
        progress: 1,
        status: 'in_progress',
        lastIncrementDay: '2026-03-02',
      }),
      makeRow({ goalId: 'absent' }),
    ]);
    expect(updated).toBe(2);
    const [g1, g2] = byGoal(await repo.listByUser('u1'));
    expect(g1).toMatchObject({
      progress: 0,
      status: 'not_started',
      completedAt: null,
      claimedAt: null,
      isActive: true,
      baseline: 100,
      periodKey: 'p2',
      expiresAt: new Date('2026-03-03T00:00:00.000Z'),
      lastIncrementDay: null,
      reopenedAt: at,
      updatedAt: at,
    });
    expect(g2).toMatchObject({
      progress: 1,
      status: 'in_progress',
      lastIncrementDay: '2026-03-02',
    });
  });

  it('rejects a status outside the four known ones', async () => {
    await expect(
      repo.insertMissing([{ ...makeRow({ goalId: 'g1' }), status: 'done' as never }]),
    ).rejects.toThrow(/goal_progress_status_check/);
  });
});
