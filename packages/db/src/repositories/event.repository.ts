import type { Assignment } from '@challenges/core';
import type pg from 'pg';
import { inTransaction } from '../transaction.ts';
import {
  assignmentColumns,
  decodeAssignment,
  encodeAssignments,
  lastPerKey,
  UPDATE_ROTATED,
} from './assignment-rows.ts';

// One round trip claims the batch ids and records the event ids of the batches that were new: an
// id seen within the window returns nothing (the DO UPDATE's WHERE is false), an older one is
// taken over. Data-modifying CTEs always run, so `fresh` is empty when no batch was new. $2/$4
// are parallel (event id, its batch id); DISTINCT because two batches may carry one event.
const MARK_BATCH = {
  name: 'event_batches.mark.v2',
  text: `WITH batch AS (
      INSERT INTO applied_event_batches (batch_id) SELECT unnest($1::text[])
      ON CONFLICT (batch_id) DO NOTHING RETURNING batch_id
    ), seen AS (
      INSERT INTO event_dedup AS d (event_id, seen_at)
      SELECT DISTINCT e.id, now() FROM unnest($2::text[], $4::text[]) AS e(id, batch_id)
       WHERE e.batch_id IN (SELECT batch_id FROM batch)
      ON CONFLICT (event_id) DO UPDATE SET seen_at = EXCLUDED.seen_at
        WHERE d.seen_at < EXCLUDED.seen_at - make_interval(secs => $3)
      RETURNING d.event_id
    )
    SELECT array(SELECT batch_id FROM batch) AS new_batches, array(SELECT event_id FROM seen) AS fresh`,
};

// Exact (user, goal) keys: locking only rows the events can change keeps claims and set-active
// on the player's other goals from waiting on the worker. The `user_id = ANY` filter is what
// makes it cheap: a join from unnest(...) into the hash-partitioned table re-runs partition
// pruning for every key (measured 1.3 ms of backend CPU for 100 keys, even with no rows); this
// form is a semi-join per partition (0.2 ms without rows, 0.5 ms locking 100).
const LOCK_ROWS = {
  name: 'goal_progress.lock_for_events.v2',
  text: `SELECT ${assignmentColumns('g.')}
      FROM goal_progress AS g
     WHERE g.user_id = ANY($3::text[])
       AND (g.user_id, g.goal_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
       AND g.is_active
     FOR UPDATE OF g`,
};

const WRITE_ROWS = { name: 'goal_progress.write_event_rows.v1', text: UPDATE_ROTATED };

export const DEDUP_WINDOW_SECONDS = 24 * 60 * 60;

export interface EventBatchRef {
  batchId: string;
  /** Distinct event ids of the batch (the caller drops repeats inside one batch). */
  eventIds: readonly string[];
}

export interface EventBatchInput extends EventBatchRef {
  /**
   * Batches of later jobs of the same partition, applied in the same transaction (in this
   * order, after the first). Each batch id is recorded on its own: a batch applied before
   * contributes nothing, the others do.
   */
  joined?: readonly EventBatchRef[];
  /**
   * The (user, goal) keys the fresh events may change, as parallel arrays. Called inside the
   * transaction once the ids not seen within the dedup window are known.
   */
  keys(fresh: ReadonlySet<string>): { userIds: string[]; goalIds: string[] };
  /** The locked active rows (maybe none) → the rows to write back (only the changed ones). */
  apply(rows: Assignment[]): readonly Assignment[];
  /** Defaults to 24 h (SPEC §6). */
  dedupWindowSeconds?: number;
}

export type EventBatchOutcome =
  | { kind: 'already_applied' }
  | {
      kind: 'applied';
      /** The batch ids that were new (the others were applied before). */
      batches: ReadonlySet<string>;
      fresh: ReadonlySet<string>;
      loaded: number;
      written: number;
    };

export interface HousekeepingResult {
  dedupDeleted: number;
  batchesDeleted: number;
}

export interface EventRepository {
  /**
   * Applies one queued batch (and any joined ones) in one transaction: records the batch ids (a
   * repeat changes nothing), drops event ids seen within the dedup window, locks the rows the fresh events
   * touch and writes the changed ones in one statement. Throws (and rolls back) on any error.
   */
  applyEventBatch(input: EventBatchInput): Promise<EventBatchOutcome>;
  /**
   * Deletes dedup rows and applied-batch ids older than the window, in chunks so no statement
   * holds many locks; returns how many. Concurrent callers skip instead of doing it twice.
   */
  housekeep(options?: { windowSeconds?: number; chunk?: number }): Promise<HousekeepingResult>;
}

// Chosen arbitrarily; only has to differ from the other advisory locks of this database.
const HOUSEKEEPING_LOCK_KEY = 72707371;

async function deleteOlder(
  client: pg.PoolClient,
  table: 'event_dedup' | 'applied_event_batches',
  column: 'seen_at' | 'applied_at',
  windowSeconds: number,
  chunk: number,
): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await client.query(
      `DELETE FROM ${table} WHERE ctid = ANY(array(
         SELECT ctid FROM ${table} WHERE ${column} < now() - make_interval(secs => $1) LIMIT $2))`,
      [windowSeconds, chunk],
    );
    const deleted = result.rowCount ?? 0;
    total += deleted;
    if (deleted < chunk) return total;
  }
}

export function createEventRepository(pool: pg.Pool): EventRepository {
  return {
    applyEventBatch(input) {
      return inTransaction(pool, async (client): Promise<EventBatchOutcome> => {
        const batches = [input, ...(input.joined ?? [])];
        const marked = await client.query<{ new_batches: string[]; fresh: string[] }>({
          ...MARK_BATCH,
          values: [
            batches.map((batch) => batch.batchId),
            batches.flatMap((batch) => batch.eventIds),
            input.dedupWindowSeconds ?? DEDUP_WINDOW_SECONDS,
            batches.flatMap((batch) => batch.eventIds.map(() => batch.batchId)),
          ],
        });
        const mark = marked.rows[0]!;
        // Nothing was written (the mark statement only records ids of a new batch).
        if (mark.new_batches.length === 0) return { kind: 'already_applied' };
        const fresh = new Set(mark.fresh);
        const { userIds, goalIds } = input.keys(fresh);
        let rows: Assignment[] = [];
        if (userIds.length > 0) {
          const locked = await client.query<unknown[]>({
            ...LOCK_ROWS,
            values: [userIds, goalIds, [...new Set(userIds)]],
            rowMode: 'array',
          });
          rows = locked.rows.map(decodeAssignment);
        }
        const changed = input.apply(rows);
        let written = 0;
        if (changed.length > 0) {
          const result = await client.query({
            ...WRITE_ROWS,
            values: encodeAssignments(lastPerKey(changed)),
          });
          written = result.rowCount ?? 0;
        }
        return {
          kind: 'applied',
          batches: new Set(mark.new_batches),
          fresh,
          loaded: rows.length,
          written,
        };
      });
    },

    async housekeep(options = {}) {
      const windowSeconds = options.windowSeconds ?? DEDUP_WINDOW_SECONDS;
      const chunk = options.chunk ?? 10_000;
      const client = await pool.connect();
      try {
        const { rows } = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock($1) AS locked',
          [HOUSEKEEPING_LOCK_KEY],
        );
        if (!rows[0]?.locked) return { dedupDeleted: 0, batchesDeleted: 0 };
        try {
          return {
            dedupDeleted: await deleteOlder(client, 'event_dedup', 'seen_at', windowSeconds, chunk),
            batchesDeleted: await deleteOlder(
              client,
              'applied_event_batches',
              'applied_at',
              windowSeconds,
              chunk,
            ),
          };
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [HOUSEKEEPING_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
  };
}
