import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.ts';

export type { PrismaClient } from './generated/prisma/client.ts';

export interface CreatePoolOptions {
  databaseUrl: string;
  /** Connections of this pool; PostgreSQL's own limit is shared by every replica. */
  max?: number;
  /** Shown in pg_stat_activity, so a DBA sees which process holds a connection. */
  applicationName?: string;
  /** An idle connection that breaks (server restart) is reported here instead of crashing. */
  onError?: (error: Error) => void;
  /**
   * PostgreSQL cancels any statement running longer (0 = never), so a stuck query cannot hold
   * a pooled connection, and the request waiting on it, forever. Default 30 s.
   */
  statementTimeoutMs?: number;
  /**
   * false: the `name` of every query config is dropped, so PostgreSQL gets unnamed statements
   * only — for a pooler in transaction mode that cannot follow named ones to a server
   * connection (PgBouncer < 1.21). Default true.
   */
  namedStatements?: boolean;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

/** The pool the repositories take; other packages name it by this type, never by `pg`. */
export type DatabasePool = pg.Pool;

/** The pg Pool used by the repositories' hot paths. */
export function createPool(options: CreatePoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'challenges',
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    statement_timeout: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    ...(options.namedStatements === false ? { Client: UnnamedStatementsClient } : {}),
  });
  // Without a listener, pg re-emits an idle client's error as an uncaught exception.
  pool.on('error', (error) => options.onError?.(error));
  return pool;
}

/**
 * The one place a statement's name is dropped: the repositories keep naming their hot
 * statements (parsed once per connection when names are on), and run unchanged behind a pooler.
 */
class UnnamedStatementsClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg.Client.query's overloads cannot be forwarded typed
  override query(config: any, values?: any, callback?: any): any {
    // A plain config object only: a Submittable (pg-cursor, a Query) keeps its prototype.
    if (config?.name && typeof config === 'object' && typeof config.submit !== 'function') {
      const { name: _name, ...unnamed } = config;
      return super.query(unnamed, values, callback);
    }
    return super.query(config, values, callback);
  }
}

/**
 * Whether what a connection leaves in its server session (SQL PREPARE) is there in its next
 * transaction: not behind a transaction-mode pooler (namedStatements false), which may hand each
 * transaction another server connection.
 */
export function keepsServerSession(client: pg.ClientBase): boolean {
  return !(client instanceof UnnamedStatementsClient);
}

const poolOfClient = new WeakMap<PrismaClient, pg.Pool>();

/**
 * Prisma over the same pg pool as the repositories' hot paths: one connection budget per
 * process, one statement timeout, one idle-error listener. Ending the pool is the caller's job.
 */
export function createPrismaClient(pool: pg.Pool): PrismaClient {
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  poolOfClient.set(prisma, pool);
  return prisma;
}

/**
 * The pool a client of createPrismaClient runs on: for a repository handed a Prisma client that
 * also needs a pg transaction (the definition store's live switch).
 */
export function poolOf(prisma: PrismaClient): pg.Pool {
  const pool = poolOfClient.get(prisma);
  if (!pool) throw new Error('poolOf: the Prisma client was not made by createPrismaClient');
  return pool;
}
