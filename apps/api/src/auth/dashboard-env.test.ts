import { describe, expect, it } from 'vitest';
import { parseEnv } from '../env.ts';
import { PRODUCTION_ENV } from '../testing/production-env.ts';

describe('dashboard sign-in configuration', () => {
  const { SESSION_SECRET: _secret, ...production } = PRODUCTION_ENV;

  it('production needs a SESSION_SECRET of at least 32 characters', () => {
    expect(() => parseEnv(production)).toThrow(/SESSION_SECRET is required/);
    expect(() => parseEnv({ ...production, SESSION_SECRET: 'short' })).toThrow(/at least 32/);
    const env = parseEnv({ ...production, SESSION_SECRET: 'k'.repeat(32) });
    expect(env.SESSION_SECRET).toBe('k'.repeat(32));
    expect(env.sessionSecretGenerated).toBe(false);
  });

  it('outside production a missing secret is random per process, and flagged', () => {
    const a = parseEnv({ AUTH_MODE: 'mock' });
    const b = parseEnv({ AUTH_MODE: 'mock' });
    expect(a.sessionSecretGenerated).toBe(true);
    expect(a.SESSION_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(a.SESSION_SECRET).not.toBe(b.SESSION_SECRET);
  });

  it('LOCAL_ADMIN=enabled (a printed, generated password) is refused in production', () => {
    expect(parseEnv({ AUTH_MODE: 'mock', LOCAL_ADMIN: 'enabled' }).localAdmin).toBe(true);
    expect(parseEnv({ AUTH_MODE: 'mock' }).localAdmin).toBe(false);
    expect(() => parseEnv({ ...PRODUCTION_ENV, LOCAL_ADMIN: 'enabled' })).toThrow(
      /LOCAL_ADMIN: LOCAL_ADMIN=enabled is refused when NODE_ENV=production/,
    );
  });

  it('ADMIN_EMAIL and ADMIN_PASSWORD come together', () => {
    expect(() => parseEnv({ AUTH_MODE: 'mock', ADMIN_EMAIL: 'a@example.com' })).toThrow(
      /go together/,
    );
    expect(
      parseEnv({ AUTH_MODE: 'mock', ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'pw-12345' })
        .ADMIN_EMAIL,
    ).toBe('a@example.com');
  });
});

describe('dashboard request safety configuration', () => {
  it('defaults: local dashboard origins on WEB_PORT, loopback proxies, two verifications', () => {
    const env = parseEnv({ AUTH_MODE: 'mock', WEB_PORT: '3100' });
    expect([...env.dashboardOrigins]).toEqual([
      'http://localhost:3100',
      'http://127.0.0.1:3100',
      'http://[::1]:3100',
    ]);
    expect(env.TRUSTED_PROXIES.check('127.0.0.1', 'ipv4')).toBe(true);
    expect(env.TRUSTED_PROXIES.check('10.0.0.1', 'ipv4')).toBe(false);
    expect(env.SIGN_IN_MAX_VERIFICATIONS).toBe(2);
  });

  it('takes DASHBOARD_ORIGINS and TRUSTED_PROXIES, and names a bad entry', () => {
    const env = parseEnv({
      AUTH_MODE: 'mock',
      DASHBOARD_ORIGINS: 'https://live.example.com/',
      TRUSTED_PROXIES: '10.0.0.0/8',
    });
    expect([...env.dashboardOrigins]).toEqual(['https://live.example.com']);
    expect(env.TRUSTED_PROXIES.check('10.2.3.4', 'ipv4')).toBe(true);
    expect(() => parseEnv({ DASHBOARD_ORIGINS: 'live.example.com' })).toThrow(
      /DASHBOARD_ORIGINS: 'live.example.com' is not an http\(s\) origin/,
    );
    expect(() => parseEnv({ TRUSTED_PROXIES: 'proxy.internal' })).toThrow(/TRUSTED_PROXIES/);
  });
});
