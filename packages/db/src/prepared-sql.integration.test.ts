import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from './client.ts';
import { executeSql, type PreparedSql, prepareOn } from './prepared-sql.ts';
import { useTestDatabase } from './testing/vitest.ts';
import { onConnection } from './transaction.ts';

// The statements the worker's batch prepares per connection (SQL PREPARE, run as EXECUTE inside
// a simple query) and their text form behind a transaction-mode pooler, on the real PostgreSQL;
// and onConnection, the connection they run on.

const database = useTestDatabase({ max: 2 });
let named: pg.Pool;
let unnamed: pg.Pool;

beforeAll(() => {
  // One connection each, so a test sees what the previous call left in its server session.
  named = createPool({ databaseUrl: database.url, max: 1 });
  unnamed = createPool({ databaseUrl: database.url, max: 1, namedStatements: false });
});

afterAll(async () => {
  await named?.end();
  await unnamed?.end();
});

// Ten parameters: $10 must not be read as $1 followed by a 0.
const ECHO: PreparedSql = {
  name: 'test_echo_v1',
  text: `SELECT $1::text AS text, $2::float8 AS num, $3::float8 AS inf, $4::boolean AS bool,
                $5::timestamptz AS at, $6::text[] AS texts, $7::float8[] AS nums,
                $8::text AS none, $9::int[] AS nested, $10::int AS tenth`,
};
const AWKWARD = `it's "quoted", {braced} \\back\\slashed\\ and NULL`;
const VALUES = [
  AWKWARD,
  -1.5,
  Number.NEGATIVE_INFINITY,
  false,
  new Date('2026-03-01T12:34:56.789Z'),
  [AWKWARD, null, '', 'NULL', 'a,b'],
  [1.25, null, Number.POSITIVE_INFINITY],
  null,
  [
    [1, 2],
    [3, 4],
  ],
  10,
];
const ECHOED = {
  text: AWKWARD,
  num: -1.5,
  inf: Number.NEGATIVE_INFINITY,
  bool: false,
  at: new Date('2026-03-01T12:34:56.789Z'),
  texts: [AWKWARD, null, '', 'NULL', 'a,b'],
  nums: [1.25, null, Number.POSITIVE_INFINITY],
  none: null,
  nested: [
    [1, 2],
    [3, 4],
  ],
  tenth: 10,
};

/** The statements the connection of `pool` has prepared, with how often each ran. */
async function preparedOnConnection(client: pg.ClientBase) {
  const { rows } = await client.query<{ name: string; runs: number }>(
    `SELECT name, (generic_plans + custom_plans)::int AS runs FROM pg_prepared_statements
      ORDER BY name`,
  );
  return rows;
}

describe('executeSql', () => {
  it('runs the prepared statement with every kind of value, unchanged', async () => {
    await onConnection(named, async (client) => {
      await prepareOn(client, [ECHO]);
      const sql = executeSql(client, ECHO, VALUES);
      expect(sql.startsWith('EXECUTE test_echo_v1(')).toBe(true);
      const { rows } = await client.query(`BEGIN; ${sql}; COMMIT`).then((r) => {
        const results = r as unknown as pg.QueryResult[];
        return results[1]!;
      });
      expect(rows).toEqual([ECHOED]);
      expect(await preparedOnConnection(client)).toEqual([{ name: 'test_echo_v1', runs: 1 }]);
    });
  });

  it('sends the text with the same values in place behind a pooler, nothing prepared', async () => {
    await onConnection(unnamed, async (client) => {
      await prepareOn(client, [ECHO]);
      const sql = executeSql(client, ECHO, VALUES);
      expect(sql).not.toContain('EXECUTE');
      const { rows } = await client.query(sql);
      expect(rows).toEqual([ECHOED]);
      expect(await preparedOnConnection(client)).toEqual([]);
    });
  });

  it('refuses a missing value and a value with no SQL literal', async () => {
    await onConnection(unnamed, async (client) => {
      expect(() => executeSql(client, ECHO, VALUES.slice(0, 9))).toThrow(
        new RangeError('test_echo_v1: no value for $10'),
      );
      expect(() => executeSql(client, ECHO, [...VALUES.slice(0, 9), { n: 10 }])).toThrow(
        new TypeError('no SQL literal for a object'),
      );
      expect(() => executeSql(client, ECHO, [...VALUES.slice(0, 9), [10n]])).toThrow(
        new TypeError('no SQL literal for a bigint'),
      );
    });
  });
});

describe('prepareOn', () => {
  it('prepares each statement once per connection, only the missing ones', async () => {
    const other: PreparedSql = { name: 'test_other_v1', text: 'SELECT $1::int + 1 AS n' };
    await onConnection(named, async (client) => {
      await prepareOn(client, [ECHO]);
      await prepareOn(client, [ECHO, other]);
      await prepareOn(client, [other, ECHO]);
      expect((await preparedOnConnection(client)).map((s) => s.name)).toEqual([
        'test_echo_v1',
        'test_other_v1',
      ]);
      const { rows } = await client.query(executeSql(client, other, [41]));
      expect(rows).toEqual([{ n: 42 }]);
    });
  });
});

describe('onConnection', () => {
  /** The server state of the pool's one connection, seen from another. */
  async function stateOf(pid: number) {
    const { rows } = await database.pool.query<{ state: string }>(
      'SELECT state FROM pg_stat_activity WHERE pid = $1',
      [pid],
    );
    return rows[0]?.state;
  }

  it('rolls back a transaction fn began and threw in, and keeps the connection', async () => {
    await database.pool.query('CREATE TABLE IF NOT EXISTS test_on_connection (n int)');
    let pid = 0;
    const failure = new Error('fn failed');
    await expect(
      onConnection(named, async (client) => {
        pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        await client.query('BEGIN; INSERT INTO test_on_connection VALUES (1)');
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await stateOf(pid)).toBe('idle');
    const again = await onConnection(named, async (client) => {
      const { rows } = await client.query<{ pid: number; n: number }>(
        'SELECT pg_backend_pid() AS pid, (SELECT count(*)::int FROM test_on_connection) AS n',
      );
      return rows[0];
    });
    expect(again).toEqual({ pid, n: 0 });
  });

  it('discards a connection on which PREPARE failed', async () => {
    const pid = await onConnection(named, async (client) => {
      return (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    });
    const broken: PreparedSql = { name: 'test_broken_v1', text: 'SELECT no_such_column' };
    await expect(onConnection(named, async () => 1, { prepare: [broken] })).rejects.toThrow(
      'no_such_column',
    );
    const next = await onConnection(named, async (client) => {
      return (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    });
    expect(next).not.toBe(pid);
    expect(named.totalCount).toBe(1);
  });
});
