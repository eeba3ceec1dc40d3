import { basename } from 'node:path';
import { serializeDefinitions } from '@challenges/core';
import type { Logger } from 'pino';
import { readDefinitionsFile } from './definitions-source.ts';

/** The part of the definition store the first-start import needs (DefinitionRepository fits). */
export interface DefinitionsStoreSeeder {
  getLiveVersion(): Promise<number | null>;
  publishInitial(input: {
    content: unknown;
    actor: string;
    note?: string | null;
    summary?: unknown;
  }): Promise<{ version: number } | null>;
}

export interface FirstStartImportOptions {
  store: DefinitionsStoreSeeder;
  /** CHALLENGES_FILE, or the bundled demo file when it is unset. */
  file: string;
  /** True when the operator named the file (CHALLENGES_FILE): worth a log line when ignored. */
  explicit: boolean;
  log: Logger;
}

export type FirstStartImportResult =
  | { imported: true; version: number }
  | { imported: false; reason: 'store-has-versions' | 'imported-by-another-process' };

/**
 * On an empty store, validates the file and publishes it as version 1 (actor `system`). Once the
 * store has a version it is the only truth: the file is not even read, so a stale
 * CHALLENGES_FILE in a deployment can never overwrite what live-ops published. Two processes
 * starting together are safe: publishInitial runs under the store's lock and only the first
 * one publishes. A bad file throws, so a fresh stack never starts on broken definitions.
 */
export async function importDefinitionsAtFirstStart(
  options: FirstStartImportOptions,
): Promise<FirstStartImportResult> {
  const { store, file, explicit, log } = options;
  const liveVersion = await store.getLiveVersion();
  if (liveVersion !== null) {
    if (explicit) {
      log.info(
        { file, liveVersion },
        'CHALLENGES_FILE ignored: the definition store already has published versions ' +
          '(import the file from the dashboard to change them)',
      );
    }
    return { imported: false, reason: 'store-has-versions' };
  }
  const definitions = await readDefinitionsFile(file);
  const goals = definitions.goalsById.size;
  const published = await store.publishInitial({
    content: serializeDefinitions(definitions),
    actor: 'system',
    note: `imported from ${basename(file)} at first start`,
    summary: { file: basename(file), challenges: definitions.challenges.length, goals },
  });
  if (!published) return { imported: false, reason: 'imported-by-another-process' };
  log.info({ file, version: published.version, goals }, 'definitions imported at first start');
  return { imported: true, version: published.version };
}
