import type { Definitions } from '@challenges/core';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createPool, createPrismaClient, type PrismaClient } from '../client.ts';
import { publishedDefinitions, type TestDefinitions } from './published-definitions.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { truncateAll } from './truncate-all.ts';

export interface TestDatabaseHandle {
  /** The pool on the file's database; there from the file's first `beforeAll` on. */
  readonly pool: pg.Pool;
  /** Prisma Client on that pool (the dashboard-side repositories take it). */
  readonly prisma: PrismaClient;
  /** The database's URL, for processes a test starts. */
  readonly url: string;
}

/**
 * The set-up of a vitest file that works on the database: a migrated database of its own and a
 * pool on it (`beforeAll`), every table emptied before each test (`beforeEach`), both closed and
 * dropped at the end (`afterAll`). Call it at the top of the file, before hooks that use it.
 * Kept out of `@challenges/db/testing` because that one also serves Playwright, outside vitest.
 */
export function useTestDatabase(options: { max?: number } = {}): TestDatabaseHandle {
  let db: TestDatabase | undefined;
  let pool: pg.Pool | undefined;
  let prisma: PrismaClient | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool({ databaseUrl: db.url, max: options.max });
    prisma = createPrismaClient(pool);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await pool?.end();
    await db?.drop();
  });
  beforeEach(() => truncateAll(handle.pool));
  const handle = {
    get pool() {
      if (!pool) throw new Error('useTestDatabase: the pool exists from beforeAll on');
      return pool;
    },
    get prisma() {
      if (!prisma) throw new Error('useTestDatabase: the client exists from beforeAll on');
      return prisma;
    },
    get url() {
      if (!db) throw new Error('useTestDatabase: the database exists from beforeAll on');
      return db.url;
    },
  };
  return handle;
}

/**
 * Publishes `definitions` before each test (after the tables are emptied: call it after
 * useTestDatabase, before hooks that write rows), so ledger transactions find them live. The
 * source serves what was published last; `refresh()` loads whatever is live.
 */
export function usePublishedDefinitions(
  database: TestDatabaseHandle,
  definitions: Definitions,
): TestDefinitions {
  let published: TestDefinitions | undefined;
  const live = () => {
    if (!published) throw new Error('usePublishedDefinitions: published from beforeEach on');
    return published;
  };
  beforeEach(async () => {
    published = await publishedDefinitions(database.prisma, definitions);
  });
  return {
    current: () => live().current(),
    version: () => live().version(),
    refresh: () => live().refresh(),
    publish: (next) => live().publish(next),
  };
}
