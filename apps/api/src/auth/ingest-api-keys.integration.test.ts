import { createIngestApiKeyRepository, type IngestApiKeyRepository } from '@challenges/db';
import { useTestDatabase } from '@challenges/db/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { databaseIngestKeys, hashIngestKey } from './ingest-api-keys.ts';

// The cache's edges against the real key table: the window's last millisecond, the bound on
// its size, the longest key.
const database = useTestDatabase({ max: 2 });
let repo: IngestApiKeyRepository;
let seq = 0;

beforeAll(() => {
  repo = createIngestApiKeyRepository(database.prisma);
});

/** Stores `plaintext` as an active key; returns its id (to revoke it). */
async function store(plaintext: string): Promise<string> {
  const key = await repo.create({
    name: `k${++seq}`,
    keyHash: hashIngestKey(plaintext),
    prefix: plaintext.slice(0, 12),
    createdBy: 'test',
  });
  return key.id;
}
const keyOf = (fill: string, length = 47) => `chk_${fill.repeat(length - 4)}`;

describe('databaseIngestKeys on the key table', () => {
  it('serves a cached answer for 5 s by default, asks again at the 5,000th ms', async () => {
    const key = keyOf('d');
    const id = await store(key);
    let now = 1_000;
    const keys = databaseIngestKeys(repo, { now: () => now });
    expect(await keys.verify(key)).toBe(true);
    await repo.revoke(id, new Date());
    now = 5_999;
    expect(await keys.verify(key)).toBe(true);
    now = 6_000;
    expect(await keys.verify(key)).toBe(false);
  });

  it('clears the cache when it reaches maxEntries, so answers are fetched again', async () => {
    const a = keyOf('e');
    const id = await store(a);
    const keys = databaseIngestKeys(repo, { maxEntries: 2, now: () => 0 });
    expect(await keys.verify(a)).toBe(true);
    await repo.revoke(id, new Date());
    // One more entry fits: a is still answered from the cache.
    expect(await keys.verify(keyOf('f'))).toBe(false);
    expect(await keys.verify(a)).toBe(true);
    // A third key finds the cache full and clears it: a is looked up again, revoked.
    expect(await keys.verify(keyOf('g'))).toBe(false);
    expect(await keys.verify(a)).toBe(false);
  });

  it('accepts a key of 128 characters, the longest', async () => {
    const longest = keyOf('h', 128);
    await store(longest);
    const keys = databaseIngestKeys(repo);
    expect(await keys.verify(longest)).toBe(true);
    expect(await keys.verify(`${longest}h`)).toBe(false);
  });
});
