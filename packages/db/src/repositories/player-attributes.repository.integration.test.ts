import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/vitest.ts';
import { createPlayerAttributesRepository } from './player-attributes.repository.ts';

const database = useTestDatabase({ max: 2 });
const at = new Date('2026-12-06T12:00:00Z');

describe('player attributes', () => {
  it('replaces on PUT and merges claims, per player', async () => {
    const repo = createPlayerAttributesRepository(database.pool);
    expect(await repo.get('alice')).toEqual({});
    await repo.replace('alice', { country: 'DE', level: 3, vip: true }, at);
    await repo.replace('bob', { country: 'FR' }, at);
    expect(await repo.get('alice')).toEqual({ country: 'DE', level: 3, vip: true });
    await repo.replace('alice', { level: 4 }, at);
    expect(await repo.get('alice')).toEqual({ level: 4 });
    expect(await repo.merge('alice', { platform: 'ios', level: 5 }, at)).toEqual({
      level: 5,
      platform: 'ios',
    });
    expect(await repo.merge('carol', { platform: 'web' }, at)).toEqual({ platform: 'web' });
    expect(await repo.get('bob')).toEqual({ country: 'FR' });
  });
});
