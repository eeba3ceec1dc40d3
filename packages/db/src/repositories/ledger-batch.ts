import {
  type LedgerReadings,
  ledgerKey,
  type StatLedger,
  type StoredAssignment,
  type WebhookEvent,
} from '@challenges/core';
import type pg from 'pg';
import { executeSql } from '../prepared-sql.ts';
import { onConnection } from '../transaction.ts';
import { DEDUP_WINDOW_SECONDS, type EventBatchRef } from './event.repository.ts';
import {
  BATCH_BEGIN,
  BATCH_STATEMENTS,
  CANDIDATES,
  MARK_AND_LOCK,
  WRITE_BATCH,
} from './ledger-batch-sql.ts';
import { readEndedRows } from './ledger-ended-rows.ts';
import {
  decodeLedger,
  decodeStoredAssignment,
  encodeLedgers,
  encodeStoredAssignments,
  lastPerRow,
} from './ledger-rows.ts';
import { insertWebhookOutbox } from './webhook-outbox.ts';

// The worker's event batches on the stat-ledger model (docs/event-model.md).

/** (user, key) pairs sorted, so every transaction locks ledger rows in one order (no deadlock). */
function sortedKeys(userIds: readonly string[], statKeys: readonly string[]) {
  const pairs = userIds.map((userId, i) => [userId, statKeys[i]!] as const);
  pairs.sort((a, b) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0,
  );
  return { userIds: pairs.map((p) => p[0]), statKeys: pairs.map((p) => p[1]) };
}

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

/**
 * One event batch in one transaction, three statements (fence+mark+lock, candidates, write)
 * in three round trips: BEGIN rides with the first, COMMIT with the last.
 */
export function applyLedgerBatch(
  pool: pg.Pool,
  input: LedgerBatchInput,
): Promise<LedgerBatchOutcome> {
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
}
