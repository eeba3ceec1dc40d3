import pg from 'pg';
import { quoteIdent } from '../database-url.ts';

/** Per table of the public schema: its row count and an md5 over every row's text, in order. */
export type TableFingerprints = Record<string, { rows: number; md5: string }>;

/**
 * What a test compares before and after something that must change no row (fuzzed input, a
 * refused call): one query per table, so a changed, added or deleted row shows by table name.
 */
export async function tableFingerprints(databaseUrl: string): Promise<TableFingerprints> {
  const client = new pg.Client({
    connectionString: databaseUrl,
    application_name: 'challenges-test-fingerprints',
  });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const out: TableFingerprints = {};
    for (const { name } of tables.rows) {
      const t = quoteIdent(name);
      const { rows } = await client.query<{ rows: string; md5: string }>(
        `SELECT count(*) AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))
           AS md5 FROM ${t} t`,
      );
      out[name] = { rows: Number(rows[0]!.rows), md5: rows[0]!.md5 };
    }
    return out;
  } finally {
    await client.end();
  }
}
