import { type Definitions, parseDefinitions, serializeDefinitions } from '@challenges/core';
import type { PrismaClient } from '../client.ts';
import { createDefinitionRepository } from '../repositories/definition.repository.ts';
import type { VersionedDefinitions } from '../repositories/definitions-fence.ts';

/** Definitions published in a test database, followed as a process follows the live version. */
export interface TestDefinitions extends VersionedDefinitions {
  /** Publishes through the definition store's live switch (rows re-anchored); the new version. */
  publish(definitions: Definitions): Promise<number>;
}

/**
 * Publishes `definitions` and returns a source that serves what it published last, as a
 * process's definitions source does; `refresh()` loads whatever is live (a publish made
 * elsewhere), `publish()` switches the live version again.
 */
export async function publishedDefinitions(
  prisma: PrismaClient,
  definitions: Definitions,
): Promise<TestDefinitions> {
  const store = createDefinitionRepository(prisma);
  let state = { definitions, version: 0 };
  const source: TestDefinitions = {
    current: () => state.definitions,
    version: () => state.version,
    async refresh() {
      const live = await store.getLive();
      if (live) state = { definitions: parseDefinitions(live.content), version: live.version };
    },
    async publish(next) {
      const { version } = await store.publish({
        content: serializeDefinitions(next),
        actor: 'test',
      });
      state = { definitions: next, version };
      return version;
    },
  };
  await source.publish(definitions);
  return source;
}
