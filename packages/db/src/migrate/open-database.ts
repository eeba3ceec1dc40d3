import { type CreatePoolOptions, createPool, type DatabasePool } from '../client.ts';
import { explainConnectionFailure } from '../connection-errors.ts';
import { ensureDatabase } from './ensure-database.ts';
import { migrate } from './migrator.ts';

/**
 * A service's first step: creates the database when it is missing, applies the migrations
 * (under the migrator's session advisory lock, so replicas may start together), then opens the
 * pool. Both go over `migrationDatabaseUrl` (a direct connection: a transaction-mode pooler
 * cannot hold a session lock) when it is given.
 */
export async function openDatabase(
  options: CreatePoolOptions & { migrationDatabaseUrl?: string; log: (line: string) => void },
): Promise<DatabasePool> {
  const direct = options.migrationDatabaseUrl ?? options.databaseUrl;
  try {
    await ensureDatabase({ databaseUrl: direct });
  } catch (error) {
    throw explainConnectionFailure(error, direct);
  }
  await migrate({ databaseUrl: direct, log: options.log });
  return createPool(options);
}
