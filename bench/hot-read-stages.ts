// In-process cost of each stage of the hot reads (docs/performance.md, hot reads, fourth pass):
// the read's JSON text as PostgreSQL sends it, parsed, decoded, derived, built and encoded, for
// list (500 goals, 100 active rows) and initialize (500 active rows). Needs a bench database
// left by `npm run bench -- --scenario list|initialize` (BENCH_DATABASE_URL).
// `--flush-mb 64` walks 64 MB between runs (outside the timing): each run then starts with
// cold caches, as a request does in the api between other work; hot loops flatter these
// stages 2–4× (bench/results/initialize-returning-2026-12-06.md).
// Usage: node --import tsx --max-semi-space-size=64 bench/hot-read-stages.ts [--user ID] [--n N] [--flush-mb MB]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  buildChallengeViews,
  encodeChallengesJson,
  encodeInitializeJson,
  goalViewsFactory,
  ledgerAssignmentViews,
  parseDefinitionsJson,
} from '@challenges/core';
import pg from 'pg';
import { decodeViews } from '../packages/db/src/repositories/ledger-views.ts';

const { values } = parseArgs({
  options: {
    user: { type: 'string' },
    n: { type: 'string', default: '3000' },
    'flush-mb': { type: 'string', default: '0' },
  },
});
const { BENCH_DATABASE_URL } = process.env;
const url = BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/challenges_bench';
const client = new pg.Client({ connectionString: url });
await client.connect();
const user =
  values.user ?? (await client.query('SELECT user_id FROM goal_progress LIMIT 1')).rows[0]?.user_id;
const raw = await client.query({
  text: 'SELECT "columns"::text AS r, "ledgers"::text AS l FROM read_player_columns($1)',
  values: [user],
});
await client.end();
const rowsText: string = raw.rows[0].r;
const ledgersText: string = raw.rows[0].l ?? '[]';
const definitions = parseDefinitionsJson(
  readFileSync(new URL('../fixtures/challenges.loadtest-500.json', import.meta.url), 'utf8'),
);
const now = new Date();
const n = Number(values.n);
// The api's response buffers are pooled (apps/api/src/rest/response-buffers.ts): one reused here.
let pooled = Buffer.allocUnsafeSlow(256 * 1024);
const alloc = (size: number) => {
  if (pooled.length < size) pooled = Buffer.allocUnsafeSlow(size);
  return pooled;
};

const flush = new Uint8Array(Number(values['flush-mb']) * 1024 * 1024);
function stage(name: string, fn: () => unknown): void {
  for (let i = 0; i < 200; i++) fn();
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < flush.length; j += 64) flush[j]!++;
    const t0 = process.cpuUsage();
    fn();
    const t = process.cpuUsage(t0);
    total += t.user + t.system;
  }
  console.log(`${name.padEnd(28)} ${(total / n).toFixed(1).padStart(7)} µs`);
}

const decode = () => {
  const rows = decodeViews(JSON.parse(rowsText) as unknown[][]);
  const ledgers = new Map<string, never>();
  for (const l of JSON.parse(ledgersText) as unknown[][]) ledgers.set(l[0] as string, l as never);
  return { rows, ledgers };
};
const { rows, ledgers } = decode();
const views = ledgerAssignmentViews({ definitions, rows, ledgers, now });
const challenges = buildChallengeViews({ definitions, views, now, activeOnly: false });
const toView = goalViewsFactory({ views, now });
const assigned = definitions.challenges.flatMap((c) =>
  c.goals.filter((g) => views.get(g.goalId)?.isActive).map(toView),
);
console.log(`user ${user}: ${rows.length} rows, ${rowsText.length} chars; ${n} runs per stage`);
stage('JSON.parse + decode', decode);
stage('derive (ledger views)', () => ledgerAssignmentViews({ definitions, rows, ledgers, now }));
stage('build list views', () =>
  buildChallengeViews({ definitions, views, now, activeOnly: false }),
);
stage('encode list', () => encodeChallengesJson(definitions, challenges, alloc));
stage('build initialize views', () =>
  definitions.challenges.flatMap((c) =>
    c.goals.filter((g) => views.get(g.goalId)?.isActive).map(toView),
  ),
);
const result = { assignedGoals: assigned, newAssignments: 0, totalActive: assigned.length };
stage('encode initialize', () => encodeInitializeJson(definitions, result, alloc));
