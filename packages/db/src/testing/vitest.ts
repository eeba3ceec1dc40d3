import { type Definitions, parseDefinitions, serializeDefinitions } from '@challenges/core';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createPool, createPrismaClient, type PrismaClient } from '../client.ts';
import { createDefinitionRepository } from '../repositories/definition.repository.ts';
import type { VersionedDefinitions } from '../repositories/definitions-fence.ts';
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

/** Definitions published in a test database, followed as a process follows the live version. */
export interface TestDefinitions extends VersionedDefinitions {
  /** Publishes through the definition store's live switch (rows re-anchored); the new version. */
  publish(definitions: Definitions): Promise<number>;
}

/**
 * Publishes `definitions` before each test (after the tables are emptied: call it after
 * useTestDatabase, before hooks that write rows), so ledger transactions find them live. The
 * source serves what this helper published last; `refresh()` loads whatever is live.
 */
export function usePublishedDefinitions(
  database: TestDatabaseHandle,
  definitions: Definitions,
): TestDefinitions {
  let state = { definitions, version: 0 };
  const store = () => createDefinitionRepository(database.prisma);
  const source: TestDefinitions = {
    current: () => state.definitions,
    version: () => state.version,
    async refresh() {
      const live = await store().getLive();
      if (live) state = { definitions: parseDefinitions(live.content), version: live.version };
    },
    async publish(next) {
      const content = serializeDefinitions(next);
      const { version } = await store().publish({ content, actor: 'test' });
      state = { definitions: next, version };
      return version;
    },
  };
  beforeEach(async () => {
    await source.publish(definitions);
  });
  return source;
}
