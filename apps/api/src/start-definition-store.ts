import {
  createDefinitionRepository,
  createScheduledPublishRepository,
  type PrismaClient,
} from '@challenges/db';
import {
  announceDefinitionsPublished,
  createRedis,
  DEMO_CHALLENGES_FILE,
  databaseDefinitionsSource,
  importDefinitionsAtFirstStart,
  type RedisClient,
} from '@challenges/runtime';
import type { Logger } from 'pino';
import type { DefinitionStore } from './application/definitions/definition-store.ts';
import type { Env } from './env.ts';

/**
 * The definitions of a process: imports CHALLENGES_FILE (or the demo file) when the store is
 * empty, then follows the live version. A bad file on an empty store throws: no start.
 */
export async function startDefinitionStore(options: {
  env: Env;
  log: Logger;
  prisma: PrismaClient;
  redis: RedisClient;
}): Promise<DefinitionStore> {
  const { env, log, prisma, redis } = options;
  const repository = createDefinitionRepository(prisma);
  await importDefinitionsAtFirstStart({
    store: repository,
    file: env.CHALLENGES_FILE ?? DEMO_CHALLENGES_FILE,
    explicit: env.CHALLENGES_FILE !== undefined,
    log,
  });
  // Off the request path, so it may queue commands while Redis is away; the poll covers that.
  const subscriber = createRedis(env, { maxRetriesPerRequest: null });
  subscriber.on('error', (error) => log.debug({ err: error }, 'redis subscriber error'));
  const source = await databaseDefinitionsSource({
    store: repository,
    subscriber,
    prefix: env.QUEUE_PREFIX,
    log,
    pollMs: env.DEFINITIONS_POLL_MS,
  });
  log.info(
    { version: source.version(), challenges: source.current().challenges.length },
    'definitions loaded',
  );
  return {
    repository,
    source,
    scheduledPublishes: createScheduledPublishRepository(prisma),
    announce: async (version) => {
      try {
        await announceDefinitionsPublished(redis, env.QUEUE_PREFIX, version);
      } catch (error) {
        log.warn(
          { err: error, version },
          'could not signal the publish; processes poll within 1 s',
        );
      }
    },
  };
}
