import { createPlayerAttributesRepository, type PlayerAttributesRepository } from '@challenges/db';
import { useTestDatabase } from '@challenges/db/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { cachedPlayerAttributes } from './cached-player-attributes.ts';

// The attributes cache against the real table: what another replica writes is seen once the
// entry expires, what this process writes at once, and the bound on its size.
const database = useTestDatabase({ max: 2 });
let repo: PlayerAttributesRepository;
const AT = new Date('2026-03-01T12:00:00.000Z');

beforeAll(() => {
  repo = createPlayerAttributesRepository(database.pool);
});

/** A write by another replica: straight to the table, past this process's cache. */
const elsewhere = (userId: string, country: string) => repo.replace(userId, { country }, AT);

describe('cachedPlayerAttributes', () => {
  it("serves another replica's write once the entry is 1 s old, not before", async () => {
    let now = 10_000;
    const cached = cachedPlayerAttributes(repo, { now: () => now });
    await elsewhere('trv-p1', 'DE');
    expect(await cached.get('trv-p1')).toEqual({ country: 'DE' });
    await elsewhere('trv-p1', 'FR');
    now = 10_999;
    expect(await cached.get('trv-p1')).toEqual({ country: 'DE' });
    now = 11_000;
    expect(await cached.get('trv-p1')).toEqual({ country: 'FR' });
  });

  it('serves its own replace and merge at once', async () => {
    const cached = cachedPlayerAttributes(repo, { now: () => 0 });
    expect(await cached.get('trv-p2')).toEqual({});
    await cached.replace('trv-p2', { country: 'DE' }, AT);
    expect(await cached.get('trv-p2')).toEqual({ country: 'DE' });
    await cached.merge('trv-p2', { vip: true }, AT);
    expect(await cached.get('trv-p2')).toEqual({ country: 'DE', vip: true });
    expect(await repo.get('trv-p2')).toEqual({ country: 'DE', vip: true });
  });

  it('keeps at most maxEntries players: the oldest read goes first', async () => {
    const cached = cachedPlayerAttributes(repo, { now: () => 0, maxEntries: 2 });
    for (const userId of ['trv-a', 'trv-b', 'trv-c']) {
      await elsewhere(userId, 'DE');
      await cached.get(userId);
      await elsewhere(userId, 'FR');
    }
    // a was evicted by c (read afresh); b and c are still cached.
    expect(await cached.get('trv-a')).toEqual({ country: 'FR' });
    expect(await cached.get('trv-c')).toEqual({ country: 'DE' });
  });
});
