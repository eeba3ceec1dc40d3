import { describe, expect, it } from 'vitest';
import { parseEnv } from '../env.ts';
import { PRODUCTION_ENV } from '../testing/production-env.ts';
import { PSEUDONYM_PREFIX, pseudonymiser } from './pseudonym.ts';

describe('pseudonyms of deleted players', () => {
  it('are stable for one secret, differ per player and per secret, and carry no ":"', () => {
    const a = pseudonymiser('a'.repeat(32));
    expect(a('player:1')).toBe(a('player:1'));
    expect(a('player:1')).not.toBe(a('player:2'));
    expect(a('player:1')).not.toBe(pseudonymiser('b'.repeat(32))('player:1'));
    expect(a('player:1')).toMatch(new RegExp(`^${PSEUDONYM_PREFIX}[A-Za-z0-9_-]{43}$`));
  });

  it('PSEUDONYM_SECRET is required in production, at least 32 characters when set', () => {
    const { PSEUDONYM_SECRET: _secret, ...production } = PRODUCTION_ENV;
    expect(() => parseEnv(production)).toThrow(/PSEUDONYM_SECRET is required/);
    expect(() => parseEnv({ ...production, PSEUDONYM_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => parseEnv({ PSEUDONYM_SECRET: 'short' })).toThrow(/at least 32/);
    const secret = 'p'.repeat(32);
    expect(parseEnv({ ...production, PSEUDONYM_SECRET: secret }).PSEUDONYM_SECRET).toBe(secret);
    expect(parseEnv({ AUTH_MODE: 'mock' }).PSEUDONYM_SECRET).toBeUndefined();
  });
});
