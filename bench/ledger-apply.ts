// The event batch's database transaction on the stat-ledger model (issue 13,
// docs/event-model.md): the worker's repository call and the rules it runs, without BullMQ,
// ingest or the worker process around them — PostgreSQL CPU, the Node CPU of the rules and the
// statements, and rows written per event — at the `apply` scenario's shape: the 500-goal
// fixture all assigned, each `enemy_kills` event matching 100 goal rows, each player's value +1
// per event, 2 events of 2 players per batch (the 1.8 events per job measured at 200 events/s).
// The per-goal model it replaced measured 0.84 Node + 1.76 PostgreSQL CPU-ms/event here
// (bench/results/20261204T231652Z-ledger-apply.json); the whole pipeline: `npm run bench --
// --scenario apply`.
//
//   npm run bench:ledger -- [--players 200] [--events 2000]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  advanceLedgers,
  anchorAssignment,
  applyBatchToLedger,
  type Definitions,
  type GameEvent,
  ledgerKeysOf,
  newAssignment,
  parseDefinitionsJson,
  type StatLedger,
  serializeDefinitions,
  statKeyOfGoal,
} from '@challenges/core';
import {
  createDefinitionRepository,
  createLedgerRepository,
  createPool,
  createPrismaClient,
  openDatabase,
} from '@challenges/db';
import { readCpuMs } from '@challenges/loadtest/proc-cpu';
import pg from 'pg';
import { dropDatabase } from './lib/api-process.ts';
import { fixture500 } from './lib/scenarios.ts';

const { values: args } = parseArgs({
  options: { players: { type: 'string' }, events: { type: 'string' } },
});
const players = Number(args.players ?? 200);
const eventCount = Number(args.events ?? 2000);
const STAT = 'enemy_kills';
const APP = 'bench-ledger-apply';
const root = path.resolve(import.meta.dirname, '..');

const definitions: Definitions = parseDefinitionsJson(readFileSync(fixture500, 'utf8'));
const tracking = (definitions.goalsByStatCode.get(STAT) ?? []).length;

// A database of its own, dropped before and after the run: BENCH_DATABASE_URL's server with
// `_ledger` appended to its database name (default challenges_bench_ledger on 127.0.0.1:5432).
const serverUrl = new URL(
  process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/challenges_bench',
);
serverUrl.pathname = `${serverUrl.pathname}_ledger`;
const DATABASE = decodeURIComponent(serverUrl.pathname.slice(1));
const databaseUrl = serverUrl.toString();
dropDatabase(databaseUrl);
await (await openDatabase({ databaseUrl, max: 1, log: () => {} })).end();
const pool = createPool({ databaseUrl, max: 1, applicationName: APP });
const admin = new pg.Client({ connectionString: databaseUrl });
await admin.connect();

// Live, as the ledger transactions' definitions fence requires.
const prisma = createPrismaClient(pool);
const { version: definitionsVersion } = await createDefinitionRepository(prisma).publish({
  content: serializeDefinitions(definitions),
  actor: APP,
});

const now = new Date();
const goals = [...definitions.goalsById.values()];
const ledgerUsers = Array.from({ length: players }, (_, i) => `ledger-${i}`);

console.log(`seeding ${players} players × ${goals.length} rows …`);
const ledgerRepo = createLedgerRepository(pool);
const allKeys = [...new Set(goals.map(statKeyOfGoal))];
for (const userId of ledgerUsers) {
  await ledgerRepo.mutate({
    definitionsVersion,
    userId,
    statKeys: allKeys,
    goalIds: [],
    fn: () => ({
      write: goals.map((goal) =>
        anchorAssignment({
          assignment: newAssignment({ userId, goal, isActive: true, now }),
          ledger: undefined,
          goal,
        }),
      ),
      result: undefined,
    }),
  });
}
await admin.query('VACUUM ANALYZE');

/** Batches of 2 events of 2 players, each player's value +1 per event. */
function batchesFor(users: readonly string[], prefix: string): GameEvent[][] {
  const values = new Map<string, number>();
  const batches: GameEvent[][] = [];
  let n = 0;
  for (let b = 0; n < eventCount; b++) {
    const batch: GameEvent[] = [];
    for (let k = 0; k < 2 && n < eventCount; k++, n++) {
      const userId = users[(b * 2 + k) % users.length]!;
      const value = (values.get(userId) ?? 0) + 1;
      values.set(userId, value);
      batch.push({
        type: 'stat',
        id: `${prefix}-${n}`,
        userId,
        statCode: STAT,
        value,
        inc: 1,
        receivedAt: 0,
      });
    }
    batches.push(batch);
  }
  return batches;
}

async function backendCpuMs(): Promise<number> {
  const { rows } = await admin.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
    [DATABASE, APP],
  );
  return rows.reduce((sum, row) => sum + readCpuMs(row.pid), 0);
}

interface Measured {
  model: string;
  events: number;
  batches: number;
  nodeCpuMsPerEvent: number;
  pgCpuMsPerEvent: number;
  wallMsPerBatch: number;
  goalRowsWrittenPerEvent: number;
  ledgerRowsWrittenPerEvent: number;
  goalRowsReadPerEvent: number;
}

async function measure(
  model: string,
  batches: GameEvent[][],
  run: (
    batch: GameEvent[],
    id: string,
  ) => Promise<{ read: number; written: number; ledgers: number }>,
): Promise<Measured> {
  // Warm-up: prepared statements, plans, caches.
  for (const [i, batch] of batches.slice(0, 50).entries()) await run(batch, `${model}-warm-${i}`);
  const measured = batches.slice(50);
  const events = measured.reduce((sum, b) => sum + b.length, 0);
  let read = 0;
  let written = 0;
  let ledgers = 0;
  const cpu0 = process.cpuUsage();
  const pg0 = await backendCpuMs();
  const t0 = performance.now();
  for (const [i, batch] of measured.entries()) {
    const r = await run(batch, `${model}-${i}`);
    read += r.read;
    written += r.written;
    ledgers += r.ledgers;
  }
  const wall = performance.now() - t0;
  const pg1 = await backendCpuMs();
  const cpu = process.cpuUsage(cpu0);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    model,
    events,
    batches: measured.length,
    nodeCpuMsPerEvent: round((cpu.user + cpu.system) / 1000 / events),
    pgCpuMsPerEvent: round((pg1 - pg0) / events),
    wallMsPerBatch: round(wall / measured.length),
    goalRowsWrittenPerEvent: round(written / events),
    ledgerRowsWrittenPerEvent: round(ledgers / events),
    goalRowsReadPerEvent: round(read / events),
  };
}

const ledger = await measure('ledger', batchesFor(ledgerUsers, 'l'), async (batch, batchId) => {
  const at = new Date();
  let locked: ReadonlyMap<string, StatLedger> = new Map();
  const outcome = await ledgerRepo.applyLedgerBatch({
    batchId,
    definitionsVersion,
    eventIds: batch.map((e) => e.id),
    ledgerKeys: ledgerKeysOf(batch, definitions),
    now: at,
    advance: (_fresh, ledgers) => {
      locked = ledgers;
      return [...advanceLedgers({ events: batch, ledgers, definitions, now: at }).values()];
    },
    apply: (candidates, activeKeys) =>
      applyBatchToLedger({
        events: batch,
        ledgers: locked,
        candidates,
        activeKeys,
        definitions,
        now: at,
      }),
  });
  return outcome.kind === 'applied'
    ? { read: outcome.candidates, written: outcome.written, ledgers: outcome.ledgersWritten }
    : { read: 0, written: 0, ledgers: 0 };
});

await admin.end();
await prisma.$disconnect();
await pool.end();
dropDatabase(databaseUrl);

const result = {
  scenario: 'ledger-apply',
  at: new Date().toISOString(),
  shape: {
    players,
    eventsPerModel: eventCount,
    goals: goals.length,
    rowsTrackingTheStat: tracking,
    eventsPerBatch: 2,
  },
  results: [ledger],
};
console.table(result.results);
const dir = path.join(root, 'bench/results');
mkdirSync(dir, { recursive: true });
const stamp = result.at.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
const file = path.join(dir, `${stamp}-ledger-apply.json`);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${path.relative(root, file)}`);
