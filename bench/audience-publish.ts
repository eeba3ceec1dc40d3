// A publish that changes one goal's audience (docs/definitions.md#audiences, Cost): the live
// switch reads that goal's active rows with the players' attributes under the definitions
// fence and deactivates those now outside. `--players` players hold an active row of each of
// `--goals` goals (one of which changes), half of them outside the new audience; each run
// reactivates the rows, then times the publish's cursor read alone and one publish. With
// `--compare` the runs alternate without and with goal_progress_audience_idx (A B A B …).
//
//   node --import tsx bench/audience-publish.ts [--players 100000] [--goals 4] [--runs 3] [--compare]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { parseDefinitions, serializeDefinitions } from '@challenges/core';
import {
  createDefinitionRepository,
  createPool,
  createPrismaClient,
  openDatabase,
} from '@challenges/db';
import type pg from 'pg';
import { dropDatabase } from './lib/api-process.ts';

const { values: args } = parseArgs({
  options: {
    players: { type: 'string', default: '100000' },
    goals: { type: 'string', default: '4' },
    runs: { type: 'string', default: '3' },
    compare: { type: 'boolean', default: false },
  },
});
const players = Number(args.players);
const goalIds = Array.from({ length: Number(args.goals) }, (_, i) => `g${i}`);

const definitions = (audience: boolean) =>
  parseDefinitions({
    challenges: [
      {
        challengeId: 'c',
        name: 'C',
        goals: goalIds.map((goalId, i) => ({
          goalId,
          name: goalId,
          eventSource: 'statistic',
          requirement: { statCode: 'kills', targetValue: 100, progressMode: 'increment' },
          reward: { type: 'ITEM', rewardId: 'r', quantity: 1 },
          defaultAssigned: true,
          ...(audience && i === 0 ? { audience: { all: [{ attr: 'country', in: ['DE'] }] } } : {}),
        })),
      },
    ],
  });

const INDEX = `CREATE INDEX goal_progress_audience_idx ON goal_progress (goal_id, user_id) WHERE is_active`;
const CURSOR_QUERY = `SELECT g.user_id, a.attributes FROM goal_progress g
  LEFT JOIN player_attributes a ON a.user_id = g.user_id
  WHERE g.goal_id = ANY($1::text[]) AND g.is_active ORDER BY g.user_id`;

/** The publish's cursor on its own (cursors plan for a fast start and run without parallel workers). */
async function cursorRead(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    const started = performance.now();
    await client.query('BEGIN');
    await client.query({
      text: `DECLARE audience_bench NO SCROLL CURSOR FOR ${CURSOR_QUERY}`,
      values: [['g0']],
    });
    while ((await client.query('FETCH 5000 FROM audience_bench')).rows.length > 0);
    await client.query('COMMIT');
    return performance.now() - started;
  } finally {
    client.release();
  }
}

// A database of its own, dropped before and after the run: BENCH_DATABASE_URL's server with
// `_audience` appended to its database name (default challenges_bench_audience).
const serverUrl = new URL(
  process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/challenges_bench',
);
serverUrl.pathname = `${serverUrl.pathname}_audience`;
const databaseUrl = serverUrl.toString();
dropDatabase(databaseUrl);
await (await openDatabase({ databaseUrl, max: 1, log: () => {} })).end();
const pool = createPool({ databaseUrl, max: 2 });
const prisma = createPrismaClient(pool);
try {
  const store = createDefinitionRepository(prisma);
  await store.publish({ content: serializeDefinitions(definitions(false)), actor: 'bench' });
  // One goal per statement: the pool's statement timeout bounds each.
  for (const goalId of goalIds) {
    await pool.query(
      `INSERT INTO goal_progress (user_id, goal_id, challenge_id, status, is_active, assigned_at,
                                  stat_key, unit)
       SELECT 'p' || i, $2, 'c', 'not_started', true, now(), 'stat:kills', 'steps'
         FROM generate_series(1, $1::int) AS i`,
      [players, goalId],
    );
  }
  await pool.query(
    `INSERT INTO player_attributes (user_id, attributes, updated_at)
     SELECT 'p' || i, jsonb_build_object('country', CASE WHEN i % 2 = 0 THEN 'DE' ELSE 'US' END), now()
       FROM generate_series(1, $1::int) AS i`,
    [players],
  );
  const variants = args.compare ? [false, true] : [true];
  const { rows: has } = await pool.query(
    `SELECT 1 FROM pg_indexes WHERE indexname = 'goal_progress_audience_idx'`,
  );
  for (let run = 0; run < Number(args.runs); run++) {
    for (const withIndex of variants) {
      if (args.compare) {
        await pool.query('DROP INDEX IF EXISTS goal_progress_audience_idx');
        if (withIndex) await pool.query(INDEX);
      }
      await store.publish({ content: serializeDefinitions(definitions(false)), actor: 'bench' });
      await pool.query(`UPDATE goal_progress SET is_active = true WHERE NOT is_active`);
      await pool.query('VACUUM ANALYZE goal_progress');
      await pool.query('VACUUM ANALYZE player_attributes');
      const scanMs = await cursorRead(pool);
      const started = performance.now();
      await store.publish({ content: serializeDefinitions(definitions(true)), actor: 'bench' });
      const ms = performance.now() - started;
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n FROM goal_progress WHERE goal_id = 'g0' AND NOT is_active`,
      );
      const [load] = loadavg();
      const index = args.compare ? (withIndex ? 'index' : 'no index') : has.length ? 'index' : '—';
      console.log(
        `run ${run + 1} ${index.padEnd(8)} cursor read ${scanMs.toFixed(0)} ms, publish ${ms.toFixed(0)} ms, deactivated ${rows[0].n}, load ${load?.toFixed(1)}`,
      );
    }
  }
} finally {
  await prisma.$disconnect();
  await pool.end();
  dropDatabase(databaseUrl);
}
