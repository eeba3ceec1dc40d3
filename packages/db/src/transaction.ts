import type pg from 'pg';
import { type PreparedSql, prepareOn } from './prepared-sql.ts';

/**
 * Runs `fn` on one pooled connection that sends its own BEGIN … COMMIT (folded into its other
 * statements to save round trips); any throw rolls back and is rethrown. `prepare` is prepared
 * on the connection first (once per connection). A connection whose PREPARE or ROLLBACK failed
 * is in an unknown state, so it is handed back as broken and the pool discards it.
 */
export async function onConnection<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  options: { prepare?: readonly PreparedSql[] } = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    if (options.prepare) {
      await prepareOn(client, options.prepare).catch((error: unknown) => {
        broken = error instanceof Error ? error : new Error(String(error));
        throw error;
      });
    }
    return await fn(client);
  } catch (error) {
    if (!broken) {
      // Outside a transaction (none begun, or COMMIT failed) this is a warning, not an error.
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Runs `fn` inside BEGIN … COMMIT on one pooled connection (see onConnection). */
export function inTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  options: { begin?: string } = {},
): Promise<T> {
  return onConnection(pool, async (client) => {
    // `begin` may add statements (the fence, SET LOCAL): one simple query, one round trip.
    await client.query(options.begin ?? 'BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  });
}
