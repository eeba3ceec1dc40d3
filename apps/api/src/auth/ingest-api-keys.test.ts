import type { IngestApiKeyRepository } from '@challenges/db';
import { describe, expect, it } from 'vitest';
import { databaseIngestKeys, hashIngestKey } from './ingest-api-keys.ts';

function fakeRepo(active: Set<string>) {
  const lookups: string[] = [];
  const repo = {
    isActiveHash: async (hash: string) => {
      lookups.push(hash);
      return active.has(hash);
    },
  } as unknown as IngestApiKeyRepository;
  return { repo, lookups };
}

describe('databaseIngestKeys', () => {
  const key = `chk_${'a'.repeat(43)}`;

  it('caches answers for cacheMs, then asks the database again', async () => {
    const active = new Set([hashIngestKey(key)]);
    const { repo, lookups } = fakeRepo(active);
    let now = 0;
    const keys = databaseIngestKeys(repo, { cacheMs: 5000, now: () => now });
    expect(await keys.verify(key)).toBe(true);
    active.clear(); // revoked on another replica
    now = 4999;
    expect(await keys.verify(key)).toBe(true);
    now = 5001;
    expect(await keys.verify(key)).toBe(false);
    expect(lookups).toHaveLength(2);
  });

  it('invalidate() drops cached answers at once', async () => {
    const active = new Set([hashIngestKey(key)]);
    const { repo } = fakeRepo(active);
    const keys = databaseIngestKeys(repo, { now: () => 0 });
    expect(await keys.verify(key)).toBe(true);
    active.clear();
    keys.invalidate();
    expect(await keys.verify(key)).toBe(false);
  });

  it('never queries for strings that cannot be dashboard keys', async () => {
    const { repo, lookups } = fakeRepo(new Set());
    const keys = databaseIngestKeys(repo);
    expect(await keys.verify('env-style-key')).toBe(false);
    expect(await keys.verify(`chk_${'x'.repeat(200)}`)).toBe(false);
    expect(lookups).toEqual([]);
  });
});
