import { configurationProblems } from '@challenges/runtime/env';
import { describe, expect, it } from 'vitest';
import { parseEnv } from './env.ts';
import { PRODUCTION_ENV } from './testing/production-env.ts';

const LONG = 'k'.repeat(32);
const SHORT = 'k'.repeat(31);

/** Every problem parseEnv reports, one line each (`VARIABLE: message`). */
const problems = (source: Record<string, string>) => configurationProblems(() => parseEnv(source));

describe('player auth mode', () => {
  it('defaults to jwt whatever NODE_ENV says, and refuses to start without a key', () => {
    for (const NODE_ENV of [undefined, 'development', 'prod', 'staging', 'test']) {
      const found = problems(NODE_ENV ? { NODE_ENV } : {});
      expect(found, String(NODE_ENV)).toHaveLength(1);
      expect(found[0]).toMatch(/^AUTH_MODE: player tokens cannot be verified/);
      for (const hint of ['JWT_JWKS_URL', 'JWT_PUBLIC_KEY', 'JWT_SECRET', 'AUTH_MODE=mock']) {
        expect(found[0]).toContain(hint);
      }
    }
    expect(parseEnv({ JWT_SECRET: 'short is fine outside production' }).AUTH_MODE).toBe('jwt');
  });

  it('mock only when chosen, and never in production', () => {
    expect(parseEnv({ AUTH_MODE: 'mock' }).AUTH_MODE).toBe('mock');
    expect(problems({ ...PRODUCTION_ENV, AUTH_MODE: 'mock' })).toEqual([
      expect.stringMatching(/^AUTH_MODE: AUTH_MODE=mock is refused when NODE_ENV=production/),
    ]);
  });
});

describe('production configuration', () => {
  it('the complete production configuration starts, with the safe defaults', () => {
    const env = parseEnv(PRODUCTION_ENV);
    expect(env).toMatchObject({
      AUTH_MODE: 'jwt',
      grpcReflection: false,
      loadtestDashboard: false,
      METRICS_HOST: '127.0.0.1',
    });
  });

  it('requires JWT_ISSUER and JWT_AUDIENCE', () => {
    const { JWT_ISSUER: _i, JWT_AUDIENCE: _a, ...withoutClaims } = PRODUCTION_ENV;
    expect(problems(withoutClaims)).toEqual([
      expect.stringMatching(/^JWT_ISSUER: required when NODE_ENV=production/),
      expect.stringMatching(/^JWT_AUDIENCE: required when NODE_ENV=production/),
    ]);
  });

  it.each(['JWT_SECRET', 'ADMIN_API_KEY', 'METRICS_TOKEN', 'REWARD_WEBHOOK_SECRET'])(
    'refuses a %s shorter than 32 characters',
    (variable) => {
      expect(parseEnv({ ...PRODUCTION_ENV, [variable]: LONG })[variable as 'JWT_SECRET']).toBe(
        LONG,
      );
      expect(problems({ ...PRODUCTION_ENV, [variable]: SHORT })).toEqual([
        expect.stringMatching(new RegExp(`^${variable}: is 31 characters; .* at least 32`)),
      ]);
      expect(problems({ [variable]: SHORT, AUTH_MODE: 'mock' })).toEqual([]);
    },
  );

  it('checks every INGEST_API_KEYS entry, but not the secret AccelByte issues', () => {
    expect(problems({ ...PRODUCTION_ENV, INGEST_API_KEYS: `${LONG},short,${LONG}` })).toEqual([
      expect.stringMatching(/^INGEST_API_KEYS: entry 2 of 3 is 5 characters/),
    ]);
    const accelbyte = {
      REWARD_PROVIDER: 'accelbyte',
      AB_BASE_URL: 'https://demo.accelbyte.io',
      AB_CLIENT_ID: 'client',
    };
    expect(problems({ ...PRODUCTION_ENV, ...accelbyte, AB_CLIENT_SECRET: SHORT })).toEqual([]);
    expect(problems({ ...PRODUCTION_ENV, ...accelbyte, AB_CLIENT_SECRET: LONG })).toEqual([]);
  });

  it('lists every weak setting at once', () => {
    const found = problems({
      ...PRODUCTION_ENV,
      AUTH_MODE: 'mock',
      REWARD_PROVIDER: 'mock',
      ADMIN_API_KEY: 'admin',
      METRICS_HOST: '0.0.0.0',
    });
    expect(found.map((line) => line.split(':')[0])).toEqual([
      'REWARD_PROVIDER',
      'METRICS_HOST',
      'AUTH_MODE',
      'ADMIN_API_KEY',
    ]);
  });

  it('refuses REWARD_PROVIDER=mock, explicit or by default', () => {
    const { REWARD_PROVIDER: _p, ...defaultProvider } = PRODUCTION_ENV;
    for (const source of [defaultProvider, { ...PRODUCTION_ENV, REWARD_PROVIDER: 'mock' }]) {
      expect(problems(source)).toEqual([
        expect.stringMatching(/^REWARD_PROVIDER: REWARD_PROVIDER=mock is refused .*granted/),
      ]);
    }
    expect(parseEnv({ AUTH_MODE: 'mock' }).REWARD_PROVIDER).toBe('mock');
  });

  it('/metrics: loopback by default without a token; a public bind needs METRICS_TOKEN', () => {
    expect(parseEnv(PRODUCTION_ENV).METRICS_HOST).toBe('127.0.0.1');
    expect(problems({ ...PRODUCTION_ENV, METRICS_HOST: '0.0.0.0' })).toEqual([
      expect.stringMatching(/^METRICS_HOST: 0\.0\.0\.0 would serve \/metrics .* METRICS_TOKEN/),
    ]);
    for (const host of ['127.0.0.1', '::1', 'localhost']) {
      expect(parseEnv({ ...PRODUCTION_ENV, METRICS_HOST: host }).METRICS_HOST).toBe(host);
    }
    const withToken = parseEnv({ ...PRODUCTION_ENV, METRICS_TOKEN: LONG, HTTP_HOST: '10.0.0.5' });
    expect(withToken.METRICS_HOST).toBe('10.0.0.5');
    // Outside production: today's behaviour, the REST listener's host.
    expect(parseEnv({ AUTH_MODE: 'mock' }).METRICS_HOST).toBe('0.0.0.0');
    expect(parseEnv({ AUTH_MODE: 'mock', HTTP_HOST: '127.0.0.2' }).METRICS_HOST).toBe('127.0.0.2');
  });

  it('gRPC reflection and dashboard load tests: off in production unless enabled', () => {
    const enabled = { GRPC_REFLECTION: 'enabled', LOADTEST_DASHBOARD: 'enabled' };
    expect(parseEnv({ ...PRODUCTION_ENV, ...enabled })).toMatchObject({
      grpcReflection: true,
      loadtestDashboard: true,
    });
    expect(parseEnv({ AUTH_MODE: 'mock' })).toMatchObject({
      grpcReflection: true,
      loadtestDashboard: true,
    });
    const disabled = { GRPC_REFLECTION: 'disabled', LOADTEST_DASHBOARD: 'disabled' };
    expect(parseEnv({ AUTH_MODE: 'mock', ...disabled })).toMatchObject({
      grpcReflection: false,
      loadtestDashboard: false,
    });
    expect(problems({ AUTH_MODE: 'mock', GRPC_REFLECTION: 'yes' })[0]).toMatch(/^GRPC_REFLECTION/);
  });

  it('refuses the QA clock', () => {
    expect(problems({ ...PRODUCTION_ENV, QA_CLOCK: 'enabled' })).toEqual([
      expect.stringMatching(/^QA_CLOCK: QA_CLOCK=enabled is refused/),
    ]);
  });
});

describe('PROCESS_NICE', () => {
  it('takes a nice value from -20 to 19, unset by default, and refuses anything else', () => {
    expect(parseEnv({ AUTH_MODE: 'mock' }).PROCESS_NICE).toBeUndefined();
    expect(parseEnv({ AUTH_MODE: 'mock', PROCESS_NICE: '-20' }).PROCESS_NICE).toBe(-20);
    expect(parseEnv({ AUTH_MODE: 'mock', PROCESS_NICE: '19' }).PROCESS_NICE).toBe(19);
    for (const bad of ['20', '-21', '2.5', 'low']) {
      expect(problems({ AUTH_MODE: 'mock', PROCESS_NICE: bad }).join('\n')).toMatch(
        /^PROCESS_NICE:/,
      );
    }
  });
});
