import pg from 'pg';
import { pgCode } from '../connection-errors.ts';
import { databaseNameOf, quoteIdent, withDatabaseName } from '../database-url.ts';

const INVALID_CATALOG_NAME = '3D000';
const DUPLICATE_DATABASE = '42P04';
// Two concurrent CREATE DATABASE of one name: the loser may hit pg_database's unique index.
const UNIQUE_VIOLATION = '23505';

const CONNECT_TIMEOUT_MS = 10_000;

export interface EnsureDatabaseOptions {
  databaseUrl: string;
  /** Database used to run CREATE DATABASE; `postgres` exists on every server. */
  maintenanceDatabase?: string;
}

/** Creates the database named in the URL when it does not exist; true when this call made it. */
export async function ensureDatabase(options: EnsureDatabaseOptions): Promise<boolean> {
  // Trying the target first keeps working where the role may not open the maintenance database.
  // A server that drops packets would otherwise hold the start for the OS's TCP timeout.
  const probe = new pg.Client({
    connectionString: options.databaseUrl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  try {
    await probe.connect();
    return false;
  } catch (error) {
    if (pgCode(error) !== INVALID_CATALOG_NAME) throw error;
  } finally {
    await probe.end().catch(() => {});
  }

  const name = databaseNameOf(options.databaseUrl);
  const admin = new pg.Client({
    connectionString: withDatabaseName(
      options.databaseUrl,
      options.maintenanceDatabase ?? 'postgres',
    ),
  });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
    return true;
  } catch (error) {
    const code = pgCode(error);
    if (code === DUPLICATE_DATABASE || code === UNIQUE_VIOLATION) return false;
    throw error;
  } finally {
    await admin.end();
  }
}
