// In-process client CPU of the hot read's PostgreSQL part (docs/performance.md, hot reads): one
// player's readPlayerViews through the pool and through a held connection, the same read as
// text without the JSON parse, a one-value round trip, and the pool's acquire + release alone.
// Sequential calls, so no request concurrency; needs a database left by bench/read-floor.ts or
// `npm run bench -- --scenario list` (BENCH_DATABASE_URL) and one of its players (--user).
// Usage: node --import tsx bench/pg-read-cost.ts --user bench-floor-player-1 [--n 3000]
import { parseArgs } from 'node:util';
import { createPool } from '../packages/db/src/client.ts';
import { readPlayerViews } from '../packages/db/src/repositories/ledger-views.ts';

const { values } = parseArgs({
  options: { user: { type: 'string' }, n: { type: 'string', default: '3000' } },
});
const { BENCH_DATABASE_URL } = process.env;
const pool = createPool({
  databaseUrl: BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/challenges_bench',
});
const user = values.user ?? 'bench-floor-player-1';
const n = Number(values.n);
const held = await pool.connect();

async function stage(name: string, fn: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 300; i++) await fn();
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn();
  const t = process.cpuUsage(t0);
  console.log(`${name.padEnd(34)} ${((t.user + t.system) / n).toFixed(1).padStart(7)} µs`);
}

for (let round = 1; round <= 3; round++) {
  console.log(`round ${round}`);
  await stage('readPlayerViews, pool', () => readPlayerViews(pool, user));
  await stage('readPlayerViews, held connection', () => readPlayerViews(held, user));
  await stage('the same read as text, no JSON', () =>
    held.query({
      name: 'pg-read-cost.text',
      text: 'SELECT "rows"::text, "ledgers"::text FROM read_player_views($1)',
      values: [user],
    }),
  );
  await stage('SELECT $1::text', () =>
    held.query({ name: 'pg-read-cost.one', text: 'SELECT $1::text', values: [user] }),
  );
  await stage('pool acquire + release', async () => (await pool.connect()).release());
}
held.release();
await pool.end();
