import {
  createDefinitionRepository,
  createPool,
  createPrismaClient,
  type DefinitionRepository,
} from '@challenges/db';
import { truncateAll } from '@challenges/db/testing';
import { useTestDatabase } from '@challenges/db/testing/vitest';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  announceDefinitionsPublished,
  type DefinitionsChange,
  type DefinitionsStoreReader,
  databaseDefinitionsSource,
  type LiveDefinitionsSource,
} from './database-definitions-source.ts';
import { capturingLogger } from './testing/capturing-logger.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A valid file whose one goal is named after `tag`, so a test can tell versions apart. */
function file(tag: string) {
  return {
    challenges: [
      {
        challengeId: 'c',
        name: 'C',
        description: '',
        goals: [
          {
            goalId: `goal-${tag}`,
            name: `Goal ${tag}`,
            description: '',
            eventSource: 'login',
            requirement: { statCode: 'login', operator: '>=', targetValue: 1 },
            reward: { type: 'ITEM', rewardId: 'hat', quantity: 1 },
          },
        ],
      },
    ],
  };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return Date.now() - started;
}

const goalIds = (source: LiveDefinitionsSource) => [...source.current().goalsById.keys()];

/** The real repository, with every read counted and a hook run around the next full load. */
function countingStore(repo: DefinitionRepository) {
  const counts = { versionReads: 0, fullLoads: 0 };
  let hooks: { before?: () => Promise<void>; after?: () => Promise<void> } = {};
  const store: DefinitionsStoreReader = {
    getLiveVersion: () => {
      counts.versionReads++;
      return repo.getLiveVersion();
    },
    getLive: async () => {
      counts.fullLoads++;
      const { before, after } = hooks;
      hooks = {};
      await before?.();
      const live = await repo.getLive();
      await after?.();
      return live;
    },
  };
  return {
    store,
    counts,
    beforeNextLoad(hook: () => Promise<void>) {
      hooks = { before: hook };
    },
    afterNextLoad(hook: () => Promise<void>) {
      hooks = { after: hook };
    },
  };
}

/** A Redis client that cannot reach a server: nothing listens on port 1. */
function unreachableRedis(): Redis {
  const client = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  client.on('error', () => {});
  return client;
}

describe('databaseDefinitionsSource', () => {
  const database = useTestDatabase();
  let pool: pg.Pool;
  let repo: DefinitionRepository;
  let redis: Redis;
  const sources: LiveDefinitionsSource[] = [];
  const prefix = `test-defs-${process.pid}-${Math.random().toString(36).slice(2)}`;

  beforeAll(() => {
    pool = database.pool;
    repo = createDefinitionRepository(database.prisma);
    redis = new Redis(REDIS_URL);
  });
  afterAll(() => {
    redis?.disconnect();
  });
  beforeEach(async () => {
    await repo.publish({ content: file('one'), actor: 'test' });
  });

  /**
   * Makes `content` live as another (newer) release would: this release's store refuses to
   * publish what it cannot parse, since it could not re-anchor goal rows to it.
   */
  async function publishAsAnotherRelease(content: unknown): Promise<{ version: number }> {
    const { rows } = await pool.query<{ version: number }>(
      `WITH v AS (
         INSERT INTO definition_versions (version, content, checksum, created_by)
         SELECT coalesce(max(version), 0) + 1, $1::jsonb, 'another release', 'test'
           FROM definition_versions
         RETURNING version
       ), s AS (
         INSERT INTO definition_state (id, live_version) SELECT 1, version FROM v
         ON CONFLICT (id) DO UPDATE SET live_version = EXCLUDED.live_version
       )
       SELECT version FROM v`,
      [JSON.stringify(content)],
    );
    return rows[0]!;
  }
  afterEach(async () => {
    for (const source of sources.splice(0)) await source.close();
  });

  const open = async (options: {
    subscribe: boolean | Redis;
    pollMs: number;
    store?: DefinitionsStoreReader;
  }) => {
    const logger = capturingLogger();
    const subscriber =
      options.subscribe === true ? new Redis(REDIS_URL) : options.subscribe || null;
    const source = await databaseDefinitionsSource({
      store: options.store ?? repo,
      subscriber,
      prefix,
      log: logger.log,
      pollMs: options.pollMs,
    });
    sources.push(source);
    return { source, lines: logger.lines };
  };

  it('serves the live version at start', async () => {
    const { source } = await open({ subscribe: false, pollMs: 60_000 });
    expect(source.version()).toBe(1);
    expect(goalIds(source)).toEqual(['goal-one']);
  });

  it('switches on the Redis signal; a caller holding the old object keeps it whole', async () => {
    // The poll is far away, so only the signal can explain a switch.
    const { source, lines } = await open({ subscribe: true, pollMs: 60_000 });
    const changes: number[] = [];
    source.onChange((change) => changes.push(change.version));
    const before = source.current();
    const { version } = await repo.publish({ content: file('two'), actor: 'test' });
    await announceDefinitionsPublished(redis, prefix, version);
    const ms = await until(() => source.version() === 2, 2000);
    expect(goalIds(source)).toEqual(['goal-two']);
    expect([...before.goalsById.keys()]).toEqual(['goal-one']);
    expect(Object.isFrozen(before)).toBe(true);
    expect(changes).toEqual([2]);
    expect(ms).toBeLessThan(2000);
    expect(lines.filter((line) => line.msg === 'definitions version switched')).toEqual([
      expect.objectContaining({ level: 30, version: 2, previousVersion: 1, trigger: 'signal' }),
    ]);
  });

  it('the periodic check picks up a publish whose signal was missed', async () => {
    const { source, lines } = await open({ subscribe: false, pollMs: 100 });
    await repo.publish({ content: file('two'), actor: 'test' });
    await until(() => source.version() === 2, 2000);
    expect(goalIds(source)).toEqual(['goal-two']);
    expect(lines.filter((line) => line.msg === 'definitions version switched')).toEqual([
      expect.objectContaining({ level: 30, version: 2, previousVersion: 1, trigger: 'poll' }),
    ]);
  });

  it('a version that does not parse is logged once and not swapped in', async () => {
    let checks = 0;
    const store: DefinitionsStoreReader = {
      getLive: () => repo.getLive(),
      getLiveVersion: () => {
        checks++;
        return repo.getLiveVersion();
      },
    };
    const { source, lines } = await open({ subscribe: true, pollMs: 20, store });
    // An older or newer release of the service may accept what this one does not.
    const bad = { challenges: [{ challengeId: 'c', name: 'C', goals: [] }] };
    const { version } = await publishAsAnotherRelease(bad);
    await announceDefinitionsPublished(redis, prefix, version);
    await until(() => lines.some((line) => line.version === 2 && line.level === 50), 2000);
    // Five checks later: still the old version, and the problem was reported only once.
    const polls = lines.length;
    const seen = checks;
    await until(() => checks >= seen + 5, 2000);
    expect(source.version()).toBe(1);
    expect(goalIds(source)).toEqual(['goal-one']);
    const errors = lines.filter((line) => line.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      version: 2,
      keptVersion: 1,
      msg: 'definitions version is invalid; keeping the current one',
    });
    expect(errors[0]?.problems).toEqual([expect.stringContaining("challenge 'c'")]);
    expect(lines.length).toBe(polls);
    await repo.publish({ content: file('three'), actor: 'test' });
    await until(() => source.version() === 3, 2000);
    expect(goalIds(source)).toEqual(['goal-three']);
  });

  it('refuses to start when the store is empty or the live version is invalid', async () => {
    await truncateAll(pool);
    await expect(open({ subscribe: false, pollMs: 60_000 })).rejects.toThrow(
      'the definition store has no published version',
    );
    await publishAsAnotherRelease({ challenges: [] });
    await expect(open({ subscribe: false, pollMs: 60_000 })).rejects.toThrow(
      /live definitions version 1 is invalid: .*challenge/,
    );
  });

  it('the channel is <prefix>:definitions:published, so a PUBLISH from redis-cli reloads too', async () => {
    const { source } = await open({ subscribe: true, pollMs: 60_000 });
    await repo.publish({ content: file('two'), actor: 'test' });
    await redis.publish(`${prefix}:definitions:published`, '2');
    await until(() => source.version() === 2, 2000);
  });

  it('refresh() checks now and resolves once the new version is served', async () => {
    const { source, lines } = await open({ subscribe: false, pollMs: 60_000 });
    await repo.publish({ content: file('two'), actor: 'test' });
    await source.refresh();
    expect(source.version()).toBe(2);
    expect(lines.filter((line) => line.msg === 'definitions version switched')).toEqual([
      expect.objectContaining({ version: 2, previousVersion: 1, trigger: 'refresh' }),
    ]);
  });

  it('a check that finds nothing new reads the version number only, never the whole file', async () => {
    const counting = countingStore(repo);
    const { source, lines } = await open({
      subscribe: false,
      pollMs: 60_000,
      store: counting.store,
    });
    const loadsAtStart = counting.counts.fullLoads;
    // The same version.
    await source.refresh();
    await source.refresh();
    expect(counting.counts.versionReads).toBe(2);
    expect(counting.counts.fullLoads).toBe(loadsAtStart);
    // A rejected version is loaded once, then skipped like the current one.
    await publishAsAnotherRelease({ challenges: [] });
    await source.refresh();
    expect(counting.counts.fullLoads).toBe(loadsAtStart + 1);
    await source.refresh();
    await source.refresh();
    expect(counting.counts.fullLoads).toBe(loadsAtStart + 1);
    expect(lines.filter((line) => line.level === 50)).toHaveLength(1);
    // No live version at all (the store emptied under the process): keep serving, say nothing.
    await pool.query('TRUNCATE definition_versions, definition_state');
    await source.refresh();
    expect(counting.counts.fullLoads).toBe(loadsAtStart + 1);
    expect(source.version()).toBe(1);
    expect(goalIds(source)).toEqual(['goal-one']);
    expect(lines.filter((line) => (line.level as number) >= 40)).toHaveLength(1);
  });

  // Between the version read and the full load the live version can move back (a database
  // restored from a backup, a failover to a replica that is behind): the check keeps what it has.
  const moveLiveBack = (version: number) => () =>
    pool
      .query('UPDATE definition_state SET live_version = $1 WHERE id = 1', [version])
      .then(() => {});

  it('a live version that moved back to the current one between the two reads is not re-applied', async () => {
    const counting = countingStore(repo);
    const { source, lines } = await open({
      subscribe: false,
      pollMs: 60_000,
      store: counting.store,
    });
    const changes: DefinitionsChange[] = [];
    source.onChange((change) => changes.push(change));
    await repo.publish({ content: file('two'), actor: 'test' });
    counting.beforeNextLoad(moveLiveBack(1));
    await source.refresh();
    expect(counting.counts.fullLoads).toBeGreaterThan(0);
    expect(source.version()).toBe(1);
    expect(changes).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('a live version that moved back to a rejected one between the two reads is not re-parsed', async () => {
    const counting = countingStore(repo);
    const { source, lines } = await open({
      subscribe: false,
      pollMs: 60_000,
      store: counting.store,
    });
    await publishAsAnotherRelease({ challenges: [] });
    await source.refresh();
    expect(lines.filter((line) => line.level === 50)).toHaveLength(1);
    await repo.publish({ content: file('three'), actor: 'test' });
    counting.beforeNextLoad(moveLiveBack(2));
    await source.refresh();
    expect(source.version()).toBe(1);
    expect(lines.filter((line) => line.level === 50)).toHaveLength(1);
    expect(lines).toHaveLength(1);
  });

  it('a live version removed between the two reads is skipped without a warning', async () => {
    const counting = countingStore(repo);
    const { source, lines } = await open({
      subscribe: false,
      pollMs: 60_000,
      store: counting.store,
    });
    await repo.publish({ content: file('two'), actor: 'test' });
    counting.beforeNextLoad(() =>
      pool.query('TRUNCATE definition_versions, definition_state').then(() => {}),
    );
    await source.refresh();
    expect(source.version()).toBe(1);
    expect(lines).toEqual([]);
  });

  it('concurrent checks: a trigger during a check runs exactly one more, which sees the newer version', async () => {
    const counting = countingStore(repo);
    const { source, lines } = await open({
      subscribe: false,
      pollMs: 60_000,
      store: counting.store,
    });
    const changes: number[] = [];
    source.onChange((change) => changes.push(change.version));
    await repo.publish({ content: file('two'), actor: 'test' });
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let loading!: () => void;
    const loadStarted = new Promise<void>((resolve) => {
      loading = resolve;
    });
    // The first check has loaded version 2 and is held before it swaps it in.
    counting.afterNextLoad(async () => {
      loading();
      await held;
    });
    const first = source.refresh();
    await loadStarted;
    // Version 3 is published while the check that read version 2 is still loading.
    await repo.publish({ content: file('three'), actor: 'test' });
    const second = source.refresh();
    const third = source.refresh();
    release();
    await first;
    await second;
    await third;
    // Resolved only after the queued check: version 3 is served, reached through 2.
    expect(source.version()).toBe(3);
    expect(changes).toEqual([2, 3]);
    expect(counting.counts.versionReads).toBe(2);
    expect(lines.filter((line) => line.msg === 'definitions version switched')).toHaveLength(2);
  });

  it('two refreshes at once run one after the other: one switch, one change event', async () => {
    const { source, lines } = await open({ subscribe: false, pollMs: 60_000 });
    const changes: number[] = [];
    source.onChange((change) => changes.push(change.version));
    await repo.publish({ content: file('two'), actor: 'test' });
    await Promise.all([source.refresh(), source.refresh()]);
    expect(changes).toEqual([2]);
    expect(lines.filter((line) => line.msg === 'definitions version switched')).toHaveLength(1);
  });

  it('a message on another channel of the subscriber does not trigger a check', async () => {
    const counting = countingStore(repo);
    const subscriber = new Redis(REDIS_URL);
    const { source } = await open({ subscribe: subscriber, pollMs: 60_000, store: counting.store });
    const other = `${prefix}:something-else`;
    await subscriber.subscribe(other);
    const seen = new Promise<void>((resolve) => {
      // Registered after the source's own listener, so the source has handled the message.
      subscriber.on('message', (channel) => {
        if (channel === other) resolve();
      });
    });
    await repo.publish({ content: file('two'), actor: 'test' });
    await redis.publish(other, '2');
    await seen;
    expect(counting.counts.versionReads).toBe(0);
    expect(source.version()).toBe(1);
  });

  it('a listener that throws is logged; the other listeners and the switch go on', async () => {
    const { source, lines } = await open({ subscribe: false, pollMs: 60_000 });
    const seen: number[] = [];
    source.onChange(() => {
      throw new Error('listener broke');
    });
    source.onChange((change) => seen.push(change.version));
    await repo.publish({ content: file('two'), actor: 'test' });
    await source.refresh();
    expect(source.version()).toBe(2);
    expect(seen).toEqual([2]);
    expect(lines.filter((line) => line.level === 50)).toEqual([
      expect.objectContaining({
        msg: 'definitions change listener failed',
        err: expect.objectContaining({ message: 'listener broke' }),
      }),
    ]);
  });

  it('an unsubscribed listener is not called again', async () => {
    const { source } = await open({ subscribe: false, pollMs: 60_000 });
    const seen: number[] = [];
    const off = source.onChange((change) => seen.push(change.version));
    await repo.publish({ content: file('two'), actor: 'test' });
    await source.refresh();
    off();
    await repo.publish({ content: file('three'), actor: 'test' });
    await source.refresh();
    expect(source.version()).toBe(3);
    expect(seen).toEqual([2]);
  });

  it('an unreachable store is warned about once per outage; the current version keeps serving', async () => {
    // A real pool to a port nothing listens on: every query fails (the server is not reachable).
    const deadPool = createPool({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none' });
    const deadPrisma = createPrismaClient(deadPool);
    const dead = createDefinitionRepository(deadPrisma);
    let reachable = true;
    const store: DefinitionsStoreReader = {
      getLiveVersion: () => (reachable ? repo : dead).getLiveVersion(),
      getLive: () => (reachable ? repo : dead).getLive(),
    };
    try {
      const { source, lines } = await open({ subscribe: false, pollMs: 60_000, store });
      const warnings = () => lines.filter((line) => line.level === 40);
      reachable = false;
      await source.refresh();
      await source.refresh();
      await source.refresh();
      expect(source.version()).toBe(1);
      expect(goalIds(source)).toEqual(['goal-one']);
      expect(warnings()).toEqual([
        expect.objectContaining({
          msg: 'definitions: could not check the live version',
          err: expect.objectContaining({
            message: expect.stringContaining("Can't reach database server"),
          }),
        }),
      ]);
      // Back, with nothing new: said once; a second outage is warned about again.
      reachable = true;
      await source.refresh();
      await source.refresh();
      expect(lines.filter((line) => line.level === 30)).toEqual([
        expect.objectContaining({ msg: 'definitions: the live version can be checked again' }),
      ]);
      reachable = false;
      await source.refresh();
      expect(warnings()).toHaveLength(2);
      // A switch right after an outage also ends it.
      reachable = true;
      await repo.publish({ content: file('two'), actor: 'test' });
      await source.refresh();
      expect(source.version()).toBe(2);
      reachable = false;
      await source.refresh();
      expect(warnings()).toHaveLength(3);
    } finally {
      await deadPrisma.$disconnect();
      await deadPool.end();
    }
  });

  it('a subscriber that cannot subscribe leaves the source polling, with a warning', async () => {
    const { source, lines } = await open({ subscribe: unreachableRedis(), pollMs: 50 });
    expect(lines.filter((line) => line.level === 40)).toEqual([
      expect.objectContaining({
        msg: 'definitions: could not subscribe; polling only',
        err: expect.objectContaining({ message: expect.stringContaining('enableOfflineQueue') }),
      }),
    ]);
    await repo.publish({ content: file('two'), actor: 'test' });
    await until(() => source.version() === 2, 2000);
  });

  it('close() disconnects the subscriber', async () => {
    const subscriber = new Redis(REDIS_URL);
    const { source } = await open({ subscribe: subscriber, pollMs: 60_000 });
    expect(subscriber.status).toBe('ready');
    await source.close();
    await until(() => subscriber.status === 'end', 2000);
  });

  it('start-up names every problem of an invalid live version, and an unexpected parser failure by its message', async () => {
    await pool.query('TRUNCATE definition_versions, definition_state');
    // Two problems: both reported, joined by "; ".
    await publishAsAnotherRelease({
      challenges: [
        { challengeId: 'a', name: 'A', goals: [] },
        { challengeId: 'b', name: 'B', goals: [] },
      ],
    });
    const error = await open({ subscribe: false, pollMs: 60_000 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^live definitions version 1 is invalid: .*'a'.*; .*'b'/);
    // Content whose reading throws something other than a validation error.
    const unreadable = Object.defineProperty({}, 'challenges', {
      enumerable: true,
      get() {
        throw new Error('content unreadable');
      },
    });
    const store: DefinitionsStoreReader = {
      getLive: async () => ({ version: 7, content: unreadable }),
      getLiveVersion: async () => 7,
    };
    await expect(open({ subscribe: false, pollMs: 60_000, store })).rejects.toThrow(
      'live definitions version 7 is invalid: content unreadable',
    );
  });
});
