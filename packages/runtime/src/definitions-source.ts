import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Definitions, parseDefinitionsJson } from '@challenges/core';

/**
 * Where the live definitions come from. Every request reads `current()` once and works on that
 * one immutable object, so a switch to a new version never mixes two versions in one answer.
 */
export interface DefinitionsSource {
  current(): Definitions;
  /**
   * The published version `current()` belongs to: what ledger transactions pass as their
   * definitions version (the definitions fence, docs/event-model.md). 0 for a file.
   */
  version(): number;
  /** Checks the store now (after a stale-definitions refusal); a file never changes. */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

export const DEMO_CHALLENGES_FILE = fileURLToPath(
  new URL('../demo/challenges.demo.json', import.meta.url),
);

/** Reads and validates a definitions file; the error names the file and every problem. */
export async function readDefinitionsFile(path: string): Promise<Definitions> {
  const text = await readFile(path, 'utf8');
  try {
    return parseDefinitionsJson(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const details = (error as { details?: readonly string[] }).details ?? [];
    const more = details.length > 1 ? `\n  ${details.join('\n  ')}` : '';
    throw new Error(`challenge definitions in ${path} are invalid: ${reason}${more}`);
  }
}

/** A fixed file (tests, tools); the services use databaseDefinitionsSource. */
export async function fileDefinitionsSource(path: string): Promise<DefinitionsSource> {
  return staticDefinitionsSource(await readDefinitionsFile(path));
}

/** Fixed definitions (tests, tools); `version` as published in the store, if they were. */
export function staticDefinitionsSource(definitions: Definitions, version = 0): DefinitionsSource {
  return {
    current: () => definitions,
    version: () => version,
    refresh: async () => {},
    close: async () => {},
  };
}
