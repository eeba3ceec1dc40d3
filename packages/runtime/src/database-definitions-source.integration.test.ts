import { createDefinitionRepository, type DefinitionRepository } from '@challenges/db';
import { truncateAll } from '@challenges/db/testing';
import { useTestDatabase } from '@challenges/db/testing/vitest';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  announceDefinitionsPublished,
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
  afterEach(async () => {
    for (const source of sources.splice(0)) await source.close();
  });

  const open = async (options: {
    subscribe: boolean;
    pollMs: number;
    store?: DefinitionsStoreReader;
  }) => {
    const logger = capturingLogger();
    const source = await databaseDefinitionsSource({
      store: options.store ?? repo,
      subscriber: options.subscribe ? new Redis(REDIS_URL) : null,
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
    const { source } = await open({ subscribe: true, pollMs: 60_000 });
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
  });

  it('the periodic check picks up a publish whose signal was missed', async () => {
    const { source } = await open({ subscribe: false, pollMs: 100 });
    await repo.publish({ content: file('two'), actor: 'test' });
    await until(() => source.version() === 2, 2000);
    expect(goalIds(source)).toEqual(['goal-two']);
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
    // The repository stores what it is given; publishDraft validates, an older or newer
    // release of the service might not agree.
    const bad = { challenges: [{ challengeId: 'c', name: 'C', goals: [] }] };
    const { version } = await repo.publish({ content: bad, actor: 'test' });
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
    expect(errors[0]).toMatchObject({ version: 2, keptVersion: 1 });
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
    await repo.publish({ content: { challenges: [] }, actor: 'test' });
    await expect(open({ subscribe: false, pollMs: 60_000 })).rejects.toThrow(
      /live definitions version 1 is invalid: .*challenge/,
    );
  });
});
