import { type CreatePoolOptions, createPool, type DatabasePool } from '../client.ts';
import { explainConnectionFailure } from '../connection-errors.ts';
import { ensureDatabase } from './ensure-database.ts';
import { migrate } from './migrator.ts';

/**
 * A service's first step: creates the database when it is missing, applies the migrations
 * (under the migrator's advisory lock, so replicas may start together), then opens the pool.
 */
export async function openDatabase(
  options: CreatePoolOptions & { log: (line: string) => void },
): Promise<DatabasePool> {
  try {
    await ensureDatabase({ databaseUrl: options.databaseUrl });
  } catch (error) {
    throw explainConnectionFailure(error, options.databaseUrl);
  }
  await migrate({ databaseUrl: options.databaseUrl, log: options.log });
  return createPool(options);
}
