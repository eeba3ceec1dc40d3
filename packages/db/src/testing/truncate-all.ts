import type pg from 'pg';

/**
 * Empties every table of a test database (the migrations ledger excepted), so each test starts
 * from the state a fresh migration leaves. The tables are read from the catalog: a new
 * migration's tables are emptied too, and no test file keeps a list of its own.
 */
export async function truncateAll(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT format('%I', c.relname) AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname <> '_prisma_migrations'`,
  );
  if (rows.length > 0) await pool.query(`TRUNCATE ${rows.map((r) => r.name).join(', ')}`);
}
