import { describe, expect, it } from 'vitest';
import { formatBanner, LOCAL_INGEST_KEY, localStackDefaults } from './local-stack.ts';

describe('npm start demo defaults', () => {
  it('with no configuration: mock auth, the local ingest key and a first admin, announced', () => {
    const { env, banner } = localStackDefaults({ PATH: '/usr/bin' });
    expect(env).toEqual({
      AUTH_MODE: 'mock',
      INGEST_API_KEYS: LOCAL_INGEST_KEY,
      LOCAL_ADMIN: 'enabled',
    });
    const text = banner.join('\n');
    expect(text).toContain('do not expose it');
    expect(text).toMatch(/AUTH_MODE=mock: player auth is OFF\. Any caller can act as any player/);
    expect(text).toContain(`INGEST_API_KEYS=${LOCAL_INGEST_KEY}`);
    expect(text).toContain('prints its email and\n  a generated password once');
  });

  it('what the user set wins, and their own key is never printed', () => {
    const admin = { ADMIN_EMAIL: 'ops@studio.test', ADMIN_PASSWORD: 'their-own-password' };
    const own = localStackDefaults({ AUTH_MODE: 'jwt', INGEST_API_KEYS: 'my-own-key', ...admin });
    expect(own).toEqual({ env: {}, banner: [] });
    // JWT settings without AUTH_MODE: the api's jwt default applies, no mock.
    const jwt = localStackDefaults({ JWT_SECRET: 'x'.repeat(32), INGEST_API_KEYS: 'k', ...admin });
    expect(jwt).toEqual({ env: {}, banner: [] });
    // Half an admin is the user's mistake to see (the api refuses it), not filled in.
    const half = localStackDefaults({
      AUTH_MODE: 'jwt',
      INGEST_API_KEYS: 'k',
      ADMIN_EMAIL: 'a@b.c',
    });
    expect(half).toEqual({ env: {}, banner: [] });
    // An explicit mock still gets the warning; blank counts as unset.
    const mock = localStackDefaults({ AUTH_MODE: 'mock', INGEST_API_KEYS: ' ' });
    expect(mock.env).toEqual({ INGEST_API_KEYS: LOCAL_INGEST_KEY, LOCAL_ADMIN: 'enabled' });
    expect(mock.banner.join('\n')).toContain('player auth is OFF');
  });

  it('adds nothing when NODE_ENV=production: the api checks production settings itself', () => {
    expect(localStackDefaults({ NODE_ENV: 'production' })).toEqual({ env: {}, banner: [] });
  });

  it('frames the banner as [start] lines', () => {
    expect(formatBanner([])).toBe('');
    expect(formatBanner(['abc', 'de'])).toBe('[start] ===\n[start] abc\n[start] de\n[start] ===\n');
  });
});
