import type pg from 'pg';

/**
 * Runs `fn` on one pooled connection inside BEGIN … COMMIT; any throw rolls back and is
 * rethrown. A connection whose ROLLBACK failed is in an unknown state, so it is handed back as
 * broken and the pool discards it instead of reusing it.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  options: { begin?: string } = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // `begin` may add SET LOCAL statements: one simple query, one round trip.
    await client.query(options.begin ?? 'BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
