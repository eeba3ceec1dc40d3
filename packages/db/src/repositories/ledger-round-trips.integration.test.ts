import net from 'node:net';
import { parseDefinitions, type StatLedger } from '@challenges/core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../client.ts';
import { rawGoal as goal } from '../testing/index.ts';
import { usePublishedDefinitions, useTestDatabase } from '../testing/vitest.ts';
import { createLedgerRepository, type LedgerRepository } from './ledger.repository.ts';

// Round trips of the worker's batch transaction, counted on the wire: the pool talks to the
// real PostgreSQL through a TCP relay that counts the server's ReadyForQuery messages (one per
// simple query or extended-protocol Sync, so one per round trip), whatever the client library
// does. On this VM each round trip costs the worker ≈ 0.2–0.3 CPU-ms (docs/performance.md).

/** A relay to PostgreSQL that counts ReadyForQuery ('Z') messages from the server. */
async function readyForQueryCounter(target: URL) {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    let pending = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      // Server messages are framed from the start (no SSL request): type byte, int32 length.
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 5) {
        const length = pending.readInt32BE(1);
        if (pending.length < 1 + length) break;
        if (pending[0] === 0x5a) count++;
        pending = pending.subarray(1 + length);
      }
      client.write(chunk);
    });
    client.on('data', (chunk) => upstream.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    count: () => count,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const database = useTestDatabase({ max: 2 });
const definitions = parseDefinitions({
  challenges: [
    {
      challengeId: 'c1',
      name: 'c1',
      description: 'c1',
      goals: [goal('g', { statCode: 'kills', targetValue: 1 })],
    },
  ],
});
const live = usePublishedDefinitions(database, definitions);
let relay: Awaited<ReturnType<typeof readyForQueryCounter>>;
let pool: pg.Pool;
let repo: LedgerRepository;

beforeAll(async () => {
  relay = await readyForQueryCounter(new URL(database.url));
  // One connection: the statements are prepared on it by the first batch of each test.
  pool = createPool({ databaseUrl: relay.url, max: 1 });
  repo = createLedgerRepository(pool);
});

afterAll(async () => {
  await pool?.end();
  await relay?.close();
});

const NOW = new Date('2026-03-01T00:00:00.000Z');

/** Round trips of one batch locking (u1, kills); `scan` and `write` say how far it goes. */
async function roundTrips(
  batchId: string,
  options: { scan: boolean; write: boolean },
  repository: LedgerRepository = repo,
) {
  const before = relay.count();
  let locked: StatLedger[] = [];
  const outcome = await repository.applyLedgerBatch({
    batchId,
    eventIds: [`${batchId}-e`],
    definitionsVersion: live.version(),
    ledgerKeys: { userIds: ['u1'], statKeys: ['kills'] },
    now: NOW,
    advance: (_fresh, ledgers) => {
      locked = [...ledgers.values()];
      if (!options.scan) return [];
      return locked.map((l) => ({
        userId: l.userId,
        statKey: l.statKey,
        readings: { value: null, steps: l.steps + 1, days: 0 },
      }));
    },
    apply: () => ({
      ledgers: options.write
        ? locked.map((l) => ({ ...l, seq: l.seq + 1, steps: l.steps + 1 }))
        : [],
      changed: [],
    }),
  });
  expect(outcome.kind).toBe('applied');
  return relay.count() - before;
}

describe('a batch transaction', () => {
  it('takes three round trips: BEGIN rides with the mark, COMMIT with the write', async () => {
    await roundTrips('warm', { scan: true, write: true });
    expect(await roundTrips('b1', { scan: true, write: true })).toBe(3);
    expect(await roundTrips('b2', { scan: false, write: true })).toBe(2);
    expect(await roundTrips('b3', { scan: true, write: false })).toBe(3);
    const { rows } = await database.pool.query<{ steps: number }>(
      `SELECT steps::float8 AS steps FROM stat_ledger WHERE user_id = 'u1' AND stat_key = 'kills'`,
    );
    // The writes folded with COMMIT were committed: warm, b1 and b2 each stepped the ledger.
    expect(rows).toEqual([{ steps: 3 }]);
  });
});

describe('a batch that changes nothing', () => {
  /** Connections of this database left inside a transaction, seen from another connection. */
  async function openTransactions() {
    const { rows } = await database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
    );
    return rows[0]!.n;
  }

  it('ends its transaction: nothing to write, already applied and stale (two round trips)', async () => {
    await roundTrips('n0', { scan: true, write: false });
    expect(await openTransactions()).toBe(0);
    const again = async (definitionsVersion: number) => {
      const before = relay.count();
      const outcome = await repo.applyLedgerBatch({
        batchId: 'n0',
        eventIds: ['n0-e'],
        definitionsVersion,
        ledgerKeys: { userIds: ['u1'], statKeys: ['kills'] },
        now: NOW,
        advance: () => [],
        apply: () => ({ ledgers: [], changed: [] }),
      });
      return { kind: outcome.kind, roundTrips: relay.count() - before };
    };
    expect(await again(live.version())).toEqual({ kind: 'already_applied', roundTrips: 2 });
    expect(await openTransactions()).toBe(0);
    expect(await again(live.version() + 1)).toEqual({ kind: 'stale_definitions', roundTrips: 2 });
    expect(await openTransactions()).toBe(0);
  });
});

describe('a batch transaction behind a transaction-mode pooler (namedStatements: false)', () => {
  it('leaves nothing prepared in the server session, in the same three round trips', async () => {
    // The pooler may run the next transaction on another server connection, where a statement
    // PREPAREd by this one does not exist: the batch sends the statements' text instead.
    const pooled = createPool({ databaseUrl: relay.url, max: 1, namedStatements: false });
    try {
      const repository = createLedgerRepository(pooled);
      // The first batch also opens the connection (its start-up ends with a ReadyForQuery).
      await roundTrips('p0', { scan: true, write: true }, repository);
      expect(await roundTrips('p1', { scan: true, write: true }, repository)).toBe(3);
      expect(await roundTrips('p2', { scan: false, write: true }, repository)).toBe(2);
      const { rows } = await pooled.query<{ name: string }>(
        'SELECT name FROM pg_prepared_statements',
      );
      expect(rows).toEqual([]);
      const ledger = await database.pool.query<{ steps: number }>(
        `SELECT steps::float8 AS steps FROM stat_ledger WHERE user_id = 'u1' AND stat_key = 'kills'`,
      );
      expect(ledger.rows).toEqual([{ steps: 3 }]);
    } finally {
      await pooled.end();
    }
  });
});
