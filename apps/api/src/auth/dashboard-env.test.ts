import { describe, expect, it } from 'vitest';
import { parseEnv } from '../env.ts';

describe('dashboard sign-in configuration', () => {
  const production = { NODE_ENV: 'production', JWT_SECRET: 's', PSEUDONYM_SECRET: 'p'.repeat(32) };

  it('production needs a SESSION_SECRET of at least 32 characters', () => {
    expect(() => parseEnv(production)).toThrow(/SESSION_SECRET is required/);
    expect(() => parseEnv({ ...production, SESSION_SECRET: 'short' })).toThrow(/at least 32/);
    const env = parseEnv({ ...production, SESSION_SECRET: 'k'.repeat(32) });
    expect(env.SESSION_SECRET).toBe('k'.repeat(32));
    expect(env.sessionSecretGenerated).toBe(false);
  });

  it('outside production a missing secret is random per process, and flagged', () => {
    const a = parseEnv({});
    const b = parseEnv({});
    expect(a.sessionSecretGenerated).toBe(true);
    expect(a.SESSION_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(a.SESSION_SECRET).not.toBe(b.SESSION_SECRET);
  });

  it('ADMIN_EMAIL and ADMIN_PASSWORD come together', () => {
    expect(() => parseEnv({ ADMIN_EMAIL: 'a@example.com' })).toThrow(/go together/);
    expect(parseEnv({ ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'pw-12345' }).ADMIN_EMAIL).toBe(
      'a@example.com',
    );
  });
});
