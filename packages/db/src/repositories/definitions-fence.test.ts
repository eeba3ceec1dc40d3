import type { Definitions } from '@challenges/core';
import { describe, expect, it } from 'vitest';
import {
  StaleDefinitionsError,
  type VersionedDefinitions,
  withLiveDefinitions,
} from './definitions-fence.ts';

// withLiveDefinitions' retry on its own: what a fenced api mutation does when the live version
// moved (the refusal itself is PostgreSQL's, in ledger-publish.integration.test.ts).

/** Stands for the definitions of one version: only passed through, never read. */
const definitionsOf = (version: number) => ({ version }) as unknown as Definitions;

/** A source at `version` whose refresh() moves it one version on. */
function sourceAt(version: number) {
  let current = version;
  const refreshes: number[] = [];
  const source: VersionedDefinitions = {
    current: () => definitionsOf(current),
    version: () => current,
    async refresh() {
      current++;
      refreshes.push(current);
    },
  };
  return { source, refreshes };
}

describe('withLiveDefinitions', () => {
  it('runs once on the definitions and version the source serves', async () => {
    const { source, refreshes } = sourceAt(4);
    const seen: number[] = [];
    const result = await withLiveDefinitions(source, async (definitions, version) => {
      expect(definitions).toEqual(definitionsOf(4));
      seen.push(version);
      return 'done';
    });
    expect(result).toBe('done');
    expect(seen).toEqual([4]);
    expect(refreshes).toEqual([]);
  });

  it('after a stale refusal reloads and runs again on the new version', async () => {
    const { source, refreshes } = sourceAt(1);
    const seen: number[] = [];
    const result = await withLiveDefinitions(source, async (_definitions, version) => {
      seen.push(version);
      if (version < 3) throw new StaleDefinitionsError(version, 3);
      return version;
    });
    expect(result).toBe(3);
    expect(seen).toEqual([1, 2, 3]);
    expect(refreshes).toEqual([2, 3]);
  });

  it('gives up after three attempts, throwing the last refusal', async () => {
    const { source, refreshes } = sourceAt(1);
    const seen: number[] = [];
    const failure = await withLiveDefinitions(source, async (_definitions, version) => {
      seen.push(version);
      throw new StaleDefinitionsError(version, 99);
    }).catch((error: unknown) => error);
    expect(seen).toEqual([1, 2, 3]);
    expect(refreshes).toEqual([2, 3]);
    expect(failure).toBeInstanceOf(StaleDefinitionsError);
    expect(failure).toMatchObject({ definitionsVersion: 3, liveVersion: 99 });
  });

  it('does not retry any other error', async () => {
    const { source, refreshes } = sourceAt(1);
    let attempts = 0;
    const failure = await withLiveDefinitions(source, async () => {
      attempts++;
      throw new Error('unique violation');
    }).catch((error: unknown) => error);
    expect(attempts).toBe(1);
    expect(refreshes).toEqual([]);
    expect(failure).toEqual(new Error('unique violation'));
  });
});

describe('StaleDefinitionsError', () => {
  it('names both versions, and says when nothing is live', () => {
    const stale = new StaleDefinitionsError(3, 4);
    expect(stale.name).toBe('StaleDefinitionsError');
    expect(stale.message).toBe('definitions version 3 is not live (live: 4)');
    expect(new StaleDefinitionsError(3, null).message).toBe(
      'definitions version 3 is not live (live: none)',
    );
  });
});
