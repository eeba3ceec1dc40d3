import type { Definitions } from '@challenges/core';

// The definitions fence (docs/event-model.md, Publishing): goal rows of the stat-ledger model
// are anchored under the live definitions, and a publish re-anchors the rows of changed goals.
// Every ledger transaction holds this key shared and checks that definition_state.live_version
// is the version its definitions came from; a live switch holds it exclusively. So no batch or
// mutation runs with old definitions on re-anchored rows, nor with new ones on rows not yet
// re-anchored.
export const DEFINITIONS_FENCE_KEY = 72707381;

/**
 * BEGIN of a ledger transaction, in the same round trip: the shared fence. It is its own
 * statement so that the transaction's next statement, which reads live_version, takes its
 * snapshot after a publish that held the fence has committed.
 */
export const FENCED_BEGIN = `BEGIN; SELECT pg_advisory_xact_lock_shared(${DEFINITIONS_FENCE_KEY})`;

/** The live version inside a statement (NULL before the first publish). */
export const LIVE_VERSION_SQL = '(SELECT live_version FROM definition_state WHERE id = 1)';

/** The definitions a ledger transaction runs on (runtime's DefinitionsSource fits). */
export interface VersionedDefinitions {
  current(): Definitions;
  /** The live version `current()` was loaded from (definition_state.live_version). */
  version(): number;
  /** Loads the live version now: called after a stale-definitions refusal, before retrying. */
  refresh(): Promise<void>;
}

/** A ledger transaction was refused: the live definitions are not the caller's. Reload, retry. */
export class StaleDefinitionsError extends Error {
  constructor(
    readonly definitionsVersion: number,
    readonly liveVersion: number | null,
  ) {
    super(`definitions version ${definitionsVersion} is not live (live: ${liveVersion ?? 'none'})`);
    this.name = 'StaleDefinitionsError';
  }
}

/** Attempts of a fenced api mutation: a second publish during the retry is already unlikely. */
const FENCED_ATTEMPTS = 3;

/**
 * Runs `attempt` with the definitions it should use; on a stale-definitions refusal reloads
 * them and runs it again (the refused transaction rolled back, so it had no effect).
 */
export async function withLiveDefinitions<T>(
  source: VersionedDefinitions,
  attempt: (definitions: Definitions, version: number) => Promise<T>,
): Promise<T> {
  for (let left = FENCED_ATTEMPTS; ; left--) {
    try {
      return await attempt(source.current(), source.version());
    } catch (error) {
      if (!(error instanceof StaleDefinitionsError) || left <= 1) throw error;
      await source.refresh();
    }
  }
}
