import type { StoredAssignment, StoredView } from '@challenges/core';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/vitest.ts';
import { readPlayer } from './ledger-player.ts';
import { READ_PLAYER_VIEWS, readPlayersViews, readPlayerViews } from './ledger-views.ts';

// readPlayerViews carries the rows through JSON instead of pg's typed columns: every field the
// derivation reads must arrive as readPlayer decodes it — fractional floats, int8 beyond 2^32,
// millisecond timestamps, NULLs and a row without a stat key.
const database = useTestDatabase();

const viewOf = (row: StoredAssignment): StoredView => ({
  goalId: row.goalId,
  p0: row.p0,
  status: row.status,
  completedAt: row.completedAt,
  claimedAt: row.claimedAt,
  isActive: row.isActive,
  assignedAt: row.assignedAt,
  baseline: row.baseline,
  periodKey: row.periodKey,
  anchorSeq: row.anchorSeq,
  anchorSteps: row.anchorSteps,
  anchorDays: row.anchorDays,
  statKey: row.statKey,
});

describe('readPlayerViews', () => {
  it('reads every view field and ledger exactly as the full row decoder does', async () => {
    const { pool } = database;
    await pool.query(
      `INSERT INTO goal_progress (user_id, goal_id, challenge_id, progress, status, completed_at,
         claimed_at, is_active, assigned_at, baseline, period_key, anchor_seq, anchor_steps,
         anchor_days, stat_key, unit, threshold)
       VALUES
         ('p', 'a', 'c', 7, 'completed', '2026-03-02T10:00:00.123Z', '2026-03-02T11:00:00.999Z',
          true, '2026-03-01T00:00:00.001Z', 0.1::float8 + 0.2::float8, '2026-03-02T00:00:00.000Z',
          9007199254740991, 4294967301, 12, 'kills', 'value', 42.5),
         ('p', 'b', 'c', 0, 'not_started', NULL, NULL, false, '1969-12-31T23:59:59.999Z', NULL,
          NULL, 0, 0, 0, NULL, NULL, '-Infinity'),
         ('other', 'a', 'c', 3, 'in_progress', NULL, NULL, true, now(), -1e-7, NULL, 1, 1, 1,
          'kills', 'steps', 5)`,
    );
    await pool.query(
      `INSERT INTO stat_ledger (user_id, stat_key, seq, value, value_seq, steps, days, last_day)
       VALUES ('p', 'kills', 8589934597, 1234.5678901234567, 8589934590, 4294967301, 3,
               '2026-03-02'),
              ('p', 'logins', 1, NULL, 0, 1, 1, NULL),
              ('other', 'kills', 1, 1, 1, 1, 1, NULL)`,
    );

    const full = await readPlayer(pool, 'p');
    const views = await readPlayerViews(pool, 'p');
    const byGoal = (rows: StoredView[]) => [...rows].sort((x, y) => (x.goalId < y.goalId ? -1 : 1));
    expect(byGoal(views.rows)).toEqual(byGoal(full.rows.map(viewOf)));
    expect(views.rows.find((r) => r.goalId === 'a')).toMatchObject({
      baseline: 0.1 + 0.2,
      anchorSeq: 2 ** 53 - 1,
      claimedAt: new Date('2026-03-02T11:00:00.999Z'),
    });
    expect(views.ledgers).toEqual(full.ledgers);
    expect(views.ledgers.get('kills')?.value).toBe(1234.5678901234567);

    const nobody = await readPlayerViews(pool, 'nobody');
    expect(nobody.rows).toEqual([]);
    expect(nobody.ledgers.size).toBe(0);
  });

  it('reads every timestamp as its exact millisecond, far from 1970 and between float8 steps', async () => {
    // The function converts through float8 (date_part, migration 20261207060000): the product
    // of these with 1000 falls just below or above the integer (a floor or a truncation towards
    // zero is one millisecond off), or needs all 53 bits (years 1 and 9999).
    const instants = [
      '0001-01-01T00:00:00.001Z',
      '1961-06-11T06:10:27.869Z',
      '1969-12-31T23:59:59.999Z',
      '2039-07-17T18:22:21.706Z',
      '9999-12-31T23:59:59.999Z',
    ];
    await database.pool.query(
      `INSERT INTO goal_progress (user_id, goal_id, challenge_id, status, completed_at, claimed_at,
         is_active, assigned_at)
       SELECT 't', 'g' || i, 'c', 'claimed', t, t, true, t
         FROM unnest($1::timestamptz[]) WITH ORDINALITY AS x(t, i)`,
      [instants],
    );
    const { rows } = await readPlayerViews(database.pool, 't');
    const byGoal = new Map(rows.map((r) => [r.goalId, r]));
    instants.forEach((iso, i) => {
      const at = new Date(iso);
      expect(byGoal.get(`g${i + 1}`), iso).toMatchObject({
        completedAt: at,
        claimedAt: at,
        assignedAt: at,
      });
    });
  });

  it('is planned once per connection, not on every read (docs/performance.md, hot reads)', async () => {
    const client = await database.pool.connect();
    try {
      for (let i = 0; i < 10; i++) await readPlayerViews(client, 'p');
      // PostgreSQL tries 5 custom plans before it may settle on the cached generic one; a
      // statement over the partitioned tables themselves never settled (10 custom plans).
      const { rows } = await client.query<{ generic: string; custom: string }>(
        `SELECT generic_plans AS generic, custom_plans AS custom
           FROM pg_prepared_statements WHERE name = $1`,
        [READ_PLAYER_VIEWS.name],
      );
      expect(rows).toHaveLength(1);
      expect(Number(rows[0]!.custom)).toBeLessThanOrEqual(5);
      expect(Number(rows[0]!.generic)).toBeGreaterThanOrEqual(5);
      // The function's own statement, over the partitioned tables, is held to its generic plan.
      const config = await client.query<{ proconfig: string[] | null }>(
        `SELECT proconfig FROM pg_proc WHERE proname = 'read_player_columns'`,
      );
      expect(config.rows).toEqual([{ proconfig: ['plan_cache_mode=force_generic_plan'] }]);
    } finally {
      client.release();
    }
  });

  it('reads many players in one statement, each exactly as readPlayerViews reads them', async () => {
    const { pool } = database;
    await pool.query(
      `INSERT INTO goal_progress (user_id, goal_id, challenge_id, progress, status, is_active,
         assigned_at, anchor_seq, anchor_steps, anchor_days, stat_key)
       SELECT 'u' || n, 'g' || g, 'c', n * 10 + g, 'in_progress', g % 2 = 0,
              '2026-03-01T00:00:00.001Z'::timestamptz + n * interval '1 ms', n, g, 0, 'k' || g
         FROM generate_series(1, 5) AS n, generate_series(1, 3) AS g`,
    );
    await pool.query(
      `INSERT INTO stat_ledger (user_id, stat_key, seq, value, value_seq, steps, days)
       SELECT 'u' || n, 'k1', n, n * 1.5, n, n, 0 FROM generate_series(1, 5) AS n`,
    );
    const users = ['u3', 'u1', 'nobody', 'u5', 'u1'];
    const many = await readPlayersViews(pool, users);
    expect([...many.keys()].sort()).toEqual(['nobody', 'u1', 'u3', 'u5']);
    for (const user of many.keys()) {
      const one = await readPlayerViews(pool, user);
      const got = many.get(user)!;
      const byGoal = (rows: StoredView[]) =>
        [...rows].sort((x, y) => (x.goalId < y.goalId ? -1 : 1));
      expect(byGoal(got.rows), user).toEqual(byGoal(one.rows));
      expect(got.ledgers, user).toEqual(one.ledgers);
    }
    expect(many.get('u3')!.rows.find((r) => r.goalId === 'g2')?.p0).toBe(32);
    expect(many.get('nobody')).toEqual({ rows: [], ledgers: new Map() });
    expect((await readPlayersViews(pool, [])).size).toBe(0);
  });
});
