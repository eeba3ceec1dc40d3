import { describe, expect, it } from 'vitest';
import { parseEnv } from '../env.ts';
import { claimAttributes } from './player-auth.ts';

describe('AUDIENCE_JWT_CLAIMS', () => {
  it('copies the named scalar claims, and nothing when none are named', () => {
    const payload = {
      sub: 'p',
      country: 'DE',
      level: 12,
      vip: true,
      roles: ['a'],
      nested: { x: 1 },
      long: 'x'.repeat(257),
      inf: Number.POSITIVE_INFINITY,
    };
    expect(
      claimAttributes(payload, [
        'country',
        'level',
        'vip',
        'roles',
        'nested',
        'long',
        'inf',
        'gone',
      ]),
    ).toEqual({ country: 'DE', level: 12, vip: true });
    expect(claimAttributes(payload, [])).toBeUndefined();
    expect(claimAttributes(payload, ['roles'])).toBeUndefined();
  });

  it('is a comma-separated list of attribute names', () => {
    const env = (value: string) => parseEnv({ AUTH_MODE: 'mock', AUDIENCE_JWT_CLAIMS: value });
    expect(env(' country, platform ,level ').audienceJwtClaims).toEqual([
      'country',
      'platform',
      'level',
    ]);
    expect(env('').audienceJwtClaims).toEqual([]);
    expect(() => env('country,bad claim')).toThrow(/AUDIENCE_JWT_CLAIMS: 'bad claim'/);
  });
});
