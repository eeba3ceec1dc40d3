import type { DefinitionRepository, ScheduledPublishRepository } from '@challenges/db';
import type { LiveDefinitionsSource } from '@challenges/runtime';

/** What the definitions use cases need besides the rest of AppContext. */
export interface DefinitionStore {
  repository: DefinitionRepository;
  /** The same object as AppContext.definitions, with its version and an immediate refresh. */
  source: LiveDefinitionsSource;
  /**
   * Tells every api and worker process that `version` is live (Redis pub/sub). Never throws: a
   * lost signal only delays the switch to the 1 s periodic check.
   */
  announce(version: number): Promise<void>;
  /** Drafts scheduled to publish at a time (scheduled-publish.ts). */
  scheduledPublishes: ScheduledPublishRepository;
}
