import type pg from 'pg';

/** Redelivered events (same id) within this window have no effect (docs/events.md). */
export const DEDUP_WINDOW_SECONDS = 24 * 60 * 60;

export interface EventBatchRef {
  batchId: string;
  /** Distinct event ids of the batch (the caller drops repeats inside one batch). */
  eventIds: readonly string[];
}

export interface HousekeepingResult {
  dedupDeleted: number;
  batchesDeleted: number;
}

/** The applied-batch ids and event ids the worker's batches record (ledger.repository.ts). */
export interface EventRepository {
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
