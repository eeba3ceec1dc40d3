import {
  type LedgerReadings,
  ledgerKey,
  type StatLedger,
  type StoredAssignment,
  type WebhookEvent,
} from '@challenges/core';
import type pg from 'pg';
import { executeSql, type PreparedSql } from '../prepared-sql.ts';
import { inTransaction, onConnection } from '../transaction.ts';
import { FENCED_BEGIN, LIVE_VERSION_SQL, StaleDefinitionsError } from './definitions-fence.ts';
import { DEDUP_WINDOW_SECONDS, type EventBatchRef } from './event.repository.ts';
import { readEndedRows } from './ledger-ended-rows.ts';
import {
  decodeLedger,
  decodeStoredAssignment,
  encodeLedgers,
  encodeStoredAssignments,
  insertStored,
  LEDGER_COLUMNS,
  STORED_COLUMN_COUNT,
  storedAssignmentColumns,
  unnestLedgers,
  upsertStored,
} from './ledger-rows.ts';
import { insertWebhookOutbox } from './webhook-outbox.ts';

// The stat-ledger model's database side (docs/event-model.md): the worker's event batches and
// the api's reads and mutations of goal_progress.

/** (user, key) pairs sorted, so every transaction locks ledger rows in one order (no deadlock). */
function sortedKeys(userIds: readonly string[], statKeys: readonly string[]) {
  const pairs = userIds.map((userId, i) => [userId, statKeys[i]!] as const);
  pairs.sort((a, b) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0,
  );
  return { userIds: pairs.map((p) => p[0]), statKeys: pairs.map((p) => p[1]) };
}

// One round trip: checks the definitions fence (the live version is the batch's, else nothing
// happens and the live version comes back), claims the batch ids (the job's and the joined
// ones), records the fresh event ids of the batches that were new (as event_dedup's window says:
// an id seen within it returns nothing, an older one is taken over), and — only when some batch
// was new — inserts the missing ledger rows of the keys and locks them all. $2/$6 are parallel
// (event id, its batch id); DISTINCT because two batches may carry one event. DO UPDATE (a no-op
// assignment) rather than DO NOTHING because it returns and locks the existing rows too,
// including ones another transaction inserted a moment ago (an api mutation waiting on them
// holds FOR SHARE, so this waits for it to commit).
const MARK_AND_LOCK: PreparedSql = {
  name: 'stat_ledger_mark_and_lock_v4',
  text: `WITH live AS (
      SELECT ${LIVE_VERSION_SQL} AS version
    ), batch AS (
      INSERT INTO applied_event_batches (batch_id)
      SELECT b FROM unnest($1::text[]) AS b, live WHERE live.version = $7
      ON CONFLICT (batch_id) DO NOTHING RETURNING batch_id
    ), seen AS (
      INSERT INTO event_dedup AS d (event_id, seen_at)
      SELECT DISTINCT e.id, now() FROM unnest($2::text[], $6::text[]) AS e(id, batch_id)
       WHERE e.batch_id IN (SELECT batch_id FROM batch)
      ON CONFLICT (event_id) DO UPDATE SET seen_at = EXCLUDED.seen_at
        WHERE d.seen_at < EXCLUDED.seen_at - make_interval(secs => $3)
      RETURNING d.event_id
    ), locked AS (
      INSERT INTO stat_ledger AS l (user_id, stat_key)
      SELECT k.user_id, k.stat_key FROM unnest($4::text[], $5::text[]) AS k(user_id, stat_key)
       WHERE EXISTS (SELECT 1 FROM batch)
      ON CONFLICT (user_id, stat_key) DO UPDATE SET updated_at = l.updated_at
      RETURNING l.user_id, l.stat_key, l.seq::float8 AS seq, l.value, l.value_seq::float8 AS value_seq,
                l.steps::float8 AS steps, l.days, l.last_day
    )
    SELECT (SELECT version FROM live) AS live_version, array(SELECT batch_id FROM batch) AS new_batches, array(SELECT event_id FROM seen) AS fresh,
           (SELECT json_agg(json_build_array(user_id, stat_key, seq, value, value_seq, steps, days,
                                             last_day)) FROM locked) AS ledgers`,
};

// isCandidate (core) in SQL, for every (player, key) of the batch with its readings: one row per
// candidate, or one row of NULLs for a key without any, and whether the key has an active row.
// A NULL value reading matches no value threshold; -Infinity matches any non-NULL reading.
// period_key compares as "C" text: fixed-width ISO-8601, so text order is time order.
// Both lateral subqueries are fenced (OFFSET 0, LIMIT 1) so that each key stays one probe with
// run-time partition pruning, also under a generic plan: unfenced, the planner hash-joins the
// key list to every partition or hashes the whole table for the EXISTS (measured 8–15 ms at
// 25k rows, against ~0.1 ms).
const CANDIDATES: PreparedSql = {
  name: 'goal_progress_ledger_candidates_v4',
  text: `SELECT t.i::int, e.one IS NOT NULL AS active, ${storedAssignmentColumns('c.')}
      FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::float8[])
           WITH ORDINALITY AS t(u, k, v, s, d, i)
      LEFT JOIN LATERAL (
        SELECT 1 AS one FROM goal_progress AS x
         WHERE x.user_id = t.u AND x.stat_key = t.k AND x.is_active LIMIT 1
      ) AS e ON true
      LEFT JOIN LATERAL (
        SELECT * FROM goal_progress AS g
         WHERE g.user_id = t.u AND g.stat_key = t.k AND g.is_active
           AND (g.expires_at <= $6
             OR g.period_key > $7 COLLATE "C"
             OR (g.unit = 'value' AND g.threshold <= t.v)
             OR (g.unit = 'steps' AND g.threshold <= t.s)
             OR (g.unit = 'days' AND g.threshold <= t.d))
        OFFSET 0
      ) AS c ON true`,
};

// The batch's effects in one statement: every ledger it advanced, and the changed rows. Both are
// written as upserts, routed to their partition row by row: an UPDATE … FROM unnest of a
// partitioned table sets up a scan and a result relation in every partition on each execution
// under a generic plan, also with no row to write (measured ~0.15 ms of PostgreSQL CPU per
// batch). The ledgers exist and are locked (MARK_AND_LOCK). The changed rows were read as
// candidates under those locks and still exist: the one delete of goal rows, player erasure,
// deletes the player's ledger rows first, so it waits for this batch (or ran before it and
// left no candidate). Their challenge_id and assigned_at are written back as read.
const WRITE_BATCH: PreparedSql = {
  name: 'stat_ledger_write_batch_v4',
  text: `WITH led AS (
      INSERT INTO stat_ledger AS l (user_id, stat_key, seq, value, value_seq, steps, days,
                                    last_day, updated_at)
      SELECT n.user_id, n.stat_key, n.seq::int8, n.value, n.value_seq::int8, n.steps::int8,
             n.days, n.last_day, now()
        FROM ${unnestLedgers(1)}
      ON CONFLICT (user_id, stat_key) DO UPDATE SET
        seq = EXCLUDED.seq, value = EXCLUDED.value, value_seq = EXCLUDED.value_seq,
        steps = EXCLUDED.steps, days = EXCLUDED.days, last_day = EXCLUDED.last_day,
        updated_at = EXCLUDED.updated_at
      RETURNING 1
    ), rows AS (
      ${upsertStored(9)}
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM led)::int AS ledgers, (SELECT count(*) FROM rows)::int AS rows`,
};

// Generic plans for the batch's statements: a custom plan costs up to ~1 ms of planning (8
// partitions of two tables) for ~0.1 ms of execution, and PostgreSQL's own choice kept custom
// plans (measured 1.27 against 0.57 PostgreSQL CPU-ms/event); the generic plans still prune to
// one partition per key at run time. SET LOCAL: this transaction only, sent with its BEGIN and
// the shared definitions fence, in the same simple query as MARK_AND_LOCK (each statement of a
// simple query takes its own snapshot, so MARK_AND_LOCK reads live_version after the fence).
const BATCH_BEGIN = `${FENCED_BEGIN}; SET LOCAL plan_cache_mode = force_generic_plan`;

// The batch's statements are prepared once per connection with SQL PREPARE, so that BEGIN rides
// with MARK_AND_LOCK and COMMIT with WRITE_BATCH: three round trips per batch (two without
// candidates) instead of five (BEGIN, mark, candidates, write, COMMIT each on their own).
const BATCH_STATEMENTS = [MARK_AND_LOCK, CANDIDATES, WRITE_BATCH];

/** The last statement's result of a multi-statement simple query. */
function lastResult<R extends pg.QueryResultRow>(
  results: pg.QueryResult<R> | pg.QueryResult<R>[],
): pg.QueryResult<R> {
  return Array.isArray(results) ? results[results.length - 1]! : results;
}

export interface LedgerScanKey {
  userId: string;
  statKey: string;
  readings: LedgerReadings;
}

export interface LedgerBatchInput extends EventBatchRef {
  /**
   * Batches of later jobs of the same partition, applied in the same transaction (in this
   * order, after the first). Each batch id is recorded on its own: a batch applied before
   * contributes no fresh event, the others do.
   */
  joined?: readonly EventBatchRef[];
  /**
   * The live version the batch's definitions came from (DefinitionsSource.version()): another
   * live version refuses the batch (`stale_definitions`) before it changes anything.
   */
  definitionsVersion: number;
  /**
   * The (player, stat key) pairs the batch's events count in (core's ledgerKeysOf over all of
   * them: locking a key only a repeated event names is harmless).
   */
  ledgerKeys: { userIds: readonly string[]; statKeys: readonly string[] };
  now: Date;
  /**
   * Called once the fresh ids (of the new batches only) are known and the ledgers locked (by ledgerKey; a key's row was
   * inserted empty when missing): the keys to scan for candidates, with the batch's readings
   * (core's advanceLedgers).
   */
  advance(
    fresh: ReadonlySet<string>,
    ledgers: ReadonlyMap<string, StatLedger>,
  ): readonly LedgerScanKey[];
  /** The candidates and the keys with an active row → what to write (applyBatchToLedger). */
  apply(
    candidates: StoredAssignment[],
    activeKeys: ReadonlySet<string>,
  ): {
    ledgers: readonly StatLedger[];
    changed: readonly StoredAssignment[];
    /** Goal events owed to webhooks (docs/webhooks.md), written in this transaction. */
    outbox?: readonly WebhookEvent[];
  };
  dedupWindowSeconds?: number;
  /**
   * Schedules: goals whose window has ended (core's endedGoalIds of the definitions resolved at
   * `now`); their active rows on the scanned keys are read as candidates too, to be frozen.
   */
  endedGoalIds?: readonly string[];
}

export type LedgerBatchOutcome =
  | { kind: 'already_applied' }
  /** Nothing done: reload the definitions (DefinitionsSource.refresh()) and apply it again. */
  | { kind: 'stale_definitions'; liveVersion: number | null }
  | {
      kind: 'applied';
      /** The batch ids that were new (the others were applied before). */
      batches: ReadonlySet<string>;
      fresh: ReadonlySet<string>;
      candidates: number;
      written: number;
      ledgersWritten: number;
    };

/** A player's stored rows, each with the ledger of its stat key (undefined: none yet). */
export interface PlayerLedgerRows {
  rows: StoredAssignment[];
  ledgers: Map<string, StatLedger>;
}

export interface LedgerRepository {
  /**
   * One event batch in one transaction, three statements (fence+mark+lock, candidates, write)
   * in three round trips: BEGIN rides with the first, COMMIT with the last.
   */
  applyLedgerBatch(input: LedgerBatchInput): Promise<LedgerBatchOutcome>;
  /** Every stored row of the player and the player's ledgers (by stat key): one statement. */
  listByUser(userId: string): Promise<PlayerLedgerRows>;
  /**
   * An api mutation: in one transaction, inserts the missing ledger rows of `statKeys` and
   * holds them FOR SHARE (lock order ledger → goal rows), locks the player's rows of `goalIds`
   * FOR UPDATE, and writes (inserting or replacing whole rows) what `fn` returns: it runs
   * materialize → the existing rule → anchor on exactly the ledgers it is given.
   */
  mutate<T>(input: {
    /** As LedgerBatchInput's: another live version throws StaleDefinitionsError. */
    definitionsVersion: number;
    userId: string;
    statKeys: readonly string[];
    goalIds: readonly string[];
    fn: (locked: PlayerLedgerRows) => { write: readonly StoredAssignment[]; result: T };
  }): Promise<T>;
}

export function createLedgerRepository(pool: pg.Pool): LedgerRepository {
  return {
    applyLedgerBatch(input) {
      return onConnection(
        pool,
        async (client): Promise<LedgerBatchOutcome> => {
          const keys = sortedKeys(input.ledgerKeys.userIds, input.ledgerKeys.statKeys);
          const batches = [input, ...(input.joined ?? [])];
          const markSql = executeSql(client, MARK_AND_LOCK, [
            batches.map((batch) => batch.batchId),
            batches.flatMap((batch) => batch.eventIds),
            input.dedupWindowSeconds ?? DEDUP_WINDOW_SECONDS,
            keys.userIds,
            keys.statKeys,
            batches.flatMap((batch) => batch.eventIds.map(() => batch.batchId)),
            input.definitionsVersion,
          ]);
          const marked = lastResult<{
            live_version: number | null;
            new_batches: string[];
            fresh: string[];
            ledgers: unknown[][] | null;
          }>(await client.query(`${BATCH_BEGIN}; ${markSql}`));
          const mark = marked.rows[0]!;
          if (mark.live_version !== input.definitionsVersion) {
            await client.query('ROLLBACK');
            return { kind: 'stale_definitions', liveVersion: mark.live_version };
          }
          // Nothing was written (the mark statement only records ids of a new batch).
          if (mark.new_batches.length === 0) {
            await client.query('ROLLBACK');
            return { kind: 'already_applied' };
          }
          const fresh = new Set(mark.fresh);
          const ledgers = new Map<string, StatLedger>();
          for (const row of mark.ledgers ?? []) {
            const ledger = decodeLedger(row);
            ledgers.set(ledgerKey(ledger.userId, ledger.statKey), ledger);
          }
          const scan = input.advance(fresh, ledgers);
          const candidates: StoredAssignment[] = [];
          const activeKeys = new Set<string>();
          if (scan.length > 0) {
            const found = await client.query<unknown[]>({
              text: executeSql(client, CANDIDATES, [
                scan.map((k) => k.userId),
                scan.map((k) => k.statKey),
                scan.map((k) => k.readings.value),
                scan.map((k) => k.readings.steps),
                scan.map((k) => k.readings.days),
                input.now,
                input.now.toISOString(),
              ]),
              rowMode: 'array',
            });
            for (const row of found.rows) {
              const key = scan[(row[0] as number) - 1]!;
              if (row[1] === true) activeKeys.add(ledgerKey(key.userId, key.statKey));
              if (row[2] !== null) candidates.push(decodeStoredAssignment(row.slice(2)));
            }
          }
          if (scan.length > 0 && (input.endedGoalIds?.length ?? 0) > 0) {
            const keysOfScan = {
              userIds: scan.map((k) => k.userId),
              statKeys: scan.map((k) => k.statKey),
            };
            candidates.push(...(await readEndedRows(client, keysOfScan, input.endedGoalIds!)));
          }
          const effects = input.apply(candidates, activeKeys);
          let written = 0;
          let ledgersWritten = 0;
          // Only when a webhook subscribes to what happened: one more round trip, same transaction.
          if (effects.outbox && effects.outbox.length > 0) {
            await insertWebhookOutbox(client, effects.outbox);
          }
          if (effects.ledgers.length > 0 || effects.changed.length > 0) {
            const writeSql = executeSql(client, WRITE_BATCH, [
              ...encodeLedgers(effects.ledgers),
              ...encodeStoredAssignments(lastPerRow(effects.changed)),
            ]);
            // A failed write skips the COMMIT after it; onConnection rolls back.
            const results = await client.query<{ ledgers: number; rows: number }>(
              `${writeSql}; COMMIT`,
            );
            const counts = (Array.isArray(results) ? results[0]! : results).rows[0]!;
            written = counts.rows;
            ledgersWritten = counts.ledgers;
          } else {
            await client.query('COMMIT');
          }
          return {
            kind: 'applied',
            batches: new Set(mark.new_batches),
            fresh,
            candidates: candidates.length,
            written,
            ledgersWritten,
          };
        },
        { prepare: BATCH_STATEMENTS },
      );
    },

    async listByUser(userId) {
      return readPlayer(pool, userId);
    },

    mutate({ definitionsVersion, userId, statKeys, goalIds, fn }) {
      return inTransaction(
        pool,
        async (client) => {
          await lockPlayer(client, { definitionsVersion, userId, statKeys, goalIds });
          const { write, result } = fn(await readPlayer(client, userId));
          await writeStored(client, write);
          return result;
        },
        { begin: FENCED_BEGIN },
      );
    },
  };
}

// Checks the definitions fence, inserts the missing ledger rows of the keys (held by this
// transaction as its own inserts) and holds the existing ones FOR SHARE, in one round trip; on
// another live version nothing is inserted or held. n = rows inserted + rows held. The CTEs share
// one snapshot, so no row is counted twice.
const HOLD_LEDGERS = {
  name: 'stat_ledger.hold_for_mutation.v2',
  text: `WITH live AS (
      SELECT ${LIVE_VERSION_SQL} AS version
    ), inserted AS (
      INSERT INTO stat_ledger (user_id, stat_key)
      SELECT $1, k FROM unnest($2::text[]) AS k, live WHERE live.version = $3 ORDER BY k
      ON CONFLICT (user_id, stat_key) DO NOTHING
      RETURNING 1
    ), held AS (
      SELECT 1 FROM stat_ledger
       WHERE user_id = $1 AND stat_key = ANY($2::text[])
         AND EXISTS (SELECT 1 FROM live WHERE live.version = $3)
       ORDER BY stat_key FOR SHARE
    )
    SELECT (SELECT version FROM live) AS live_version,
           ((SELECT count(*) FROM inserted) + (SELECT count(*) FROM held))::int AS n`,
};

/**
 * Inside a transaction begun with FENCED_BEGIN: checks the live definitions version (throws
 * StaleDefinitionsError, having changed nothing, when it is not `definitionsVersion`), inserts
 * the missing ledger rows of `statKeys` and holds them FOR SHARE, then locks the player's rows of
 * `goalIds` FOR UPDATE (lock order ledger → goal rows, each in sorted order, as the worker's
 * batch).
 */
export async function lockPlayer(
  client: pg.PoolClient,
  input: {
    definitionsVersion: number;
    userId: string;
    statKeys: readonly string[];
    goalIds: readonly string[];
  },
): Promise<void> {
  const { definitionsVersion, userId, goalIds } = input;
  const keys = [...new Set(input.statKeys)].sort();
  // The version check rides on the hold, so the fence costs no round trip of its own. Run until
  // every key's row is held: a row another transaction committed after this statement's snapshot
  // is neither inserted (DO NOTHING) nor seen by the FOR SHARE; the next run sees it.
  for (;;) {
    const held = await client.query<{ live_version: number | null; n: number }>({
      ...HOLD_LEDGERS,
      values: [userId, keys, definitionsVersion],
    });
    const { live_version: liveVersion, n } = held.rows[0]!;
    if (liveVersion !== definitionsVersion) {
      throw new StaleDefinitionsError(definitionsVersion, liveVersion);
    }
    if (n === keys.length) break;
  }
  if (goalIds.length > 0) {
    await client.query({
      name: 'goal_progress.lock_for_mutation.v1',
      text: `SELECT 1 FROM goal_progress WHERE user_id = $1 AND goal_id = ANY($2::text[])
             ORDER BY goal_id FOR UPDATE`,
      values: [userId, [...goalIds]],
    });
  }
}

/** Writes whole stored rows, inserting the missing ones (one statement). */
export async function writeStored(
  client: pg.PoolClient,
  rows: readonly StoredAssignment[],
): Promise<void> {
  if (rows.length === 0) return;
  await client.query({
    name: 'goal_progress.upsert_stored.v1',
    text: upsertStored(1),
    values: encodeStoredAssignments(lastPerRow(rows)),
  });
}

/** Inserts the stored rows that do not exist yet; returns the goal ids it inserted. */
export async function insertStoredMissing(
  client: pg.PoolClient,
  rows: readonly StoredAssignment[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const result = await client.query<unknown[]>({
    name: 'goal_progress.insert_stored_missing.v1',
    text: `${insertStored(1)} ON CONFLICT (user_id, goal_id) DO NOTHING RETURNING g.goal_id`,
    values: encodeStoredAssignments(lastPerRow(rows)),
    rowMode: 'array',
  });
  return result.rows.map((row) => row[0] as string);
}

// The player's rows and all the player's ledgers (a mutation may anchor a row on a key none of
// its rows reads yet) in ONE statement, so both come from one snapshot: read apart, a batch
// committing in between would give rows anchored on ledgers older than the ones read (progress
// counted twice). The ledgers ride on one extra row whose goal columns are NULL (user_id NULL
// marks it; a goal row always has one), as JSON: one more row, not a column on every row.
export const READ_PLAYER = {
  name: 'goal_progress.read_player.v1',
  text: `SELECT ${storedAssignmentColumns()}, NULL::json AS ledgers
      FROM goal_progress WHERE user_id = $1
    UNION ALL
    SELECT ${Array.from({ length: STORED_COLUMN_COUNT }, () => 'NULL').join(', ')},
           (SELECT json_agg(json_build_array(${LEDGER_COLUMNS}))
              FROM stat_ledger WHERE user_id = $1)`,
};

export async function readPlayer(
  client: pg.Pool | pg.PoolClient,
  userId: string,
): Promise<PlayerLedgerRows> {
  const result = await client.query<unknown[]>({
    ...READ_PLAYER,
    values: [userId],
    rowMode: 'array',
  });
  const rows: StoredAssignment[] = [];
  const ledgers = new Map<string, StatLedger>();
  for (const row of result.rows) {
    if (row[0] !== null) {
      rows.push(decodeStoredAssignment(row));
      continue;
    }
    for (const fields of (row[STORED_COLUMN_COUNT] as unknown[][] | null) ?? []) {
      const ledger = decodeLedger(fields);
      ledgers.set(ledger.statKey, ledger);
    }
  }
  return { rows, ledgers };
}

/** Last occurrence wins: one statement may not update the same row twice. */
function lastPerRow(rows: readonly StoredAssignment[]): StoredAssignment[] {
  const byKey = new Map<string, StoredAssignment>();
  for (const row of rows) byKey.set(`${row.userId}\u0000${row.goalId}`, row);
  return [...byKey.values()];
}
