// `node --import tsx packages/db/src/migrate/cli.ts`: create the database if needed and migrate.
import { DEFAULT_DATABASE_URL, redactUrl } from '../database-url.ts';
import { ensureDatabase } from './ensure-database.ts';
import { migrate } from './migrator.ts';

// A direct connection when DATABASE_URL is a pooler: the migrator holds a session advisory lock.
const databaseUrl =
  process.env.MIGRATION_DATABASE_URL || (process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
const log = (line: string) => console.log(`[migrate] ${line}`);

try {
  log(`database ${redactUrl(databaseUrl)}`);
  if (await ensureDatabase({ databaseUrl })) log('created the database');
  const result = await migrate({ databaseUrl, log });
  log(`done: ${result.applied.length} applied, ${result.skipped} already applied`);
} catch (error) {
  console.error(`[migrate] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
