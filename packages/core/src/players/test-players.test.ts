import { describe, expect, it } from 'vitest';
import { isTestPlayer, testPlayerId } from './test-players.ts';

describe('test players', () => {
  it('are the ids of the load-test namespace only', () => {
    expect(isTestPlayer(testPlayerId(0))).toBe(true);
    expect(isTestPlayer('loadtest~42')).toBe(true);
    for (const real of ['alice', 'lt-user-3', 'loadtest-1', '0f9a3c', 'x-loadtest~1']) {
      expect(isTestPlayer(real)).toBe(false);
    }
  });
});
