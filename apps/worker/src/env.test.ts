import { configurationProblems } from '@challenges/runtime/env';
import { describe, expect, it } from 'vitest';
import { parseEnv } from './env.ts';

const PRODUCTION = {
  NODE_ENV: 'production',
  REWARD_PROVIDER: 'webhook',
  REWARD_WEBHOOK_URL: 'http://127.0.0.1:9/rewards',
  REWARD_WEBHOOK_SECRET: 'production-webhook-secret-0123456789abcdef',
};

/** Every problem parseEnv reports, one line each (`VARIABLE: message`). */
const problems = (source: Record<string, string>) => configurationProblems(() => parseEnv(source));

describe('worker production configuration', () => {
  it('a complete production configuration starts with /metrics on loopback', () => {
    expect(parseEnv(PRODUCTION).METRICS_HOST).toBe('127.0.0.1');
    // Outside production, today's default: every interface.
    expect(parseEnv({}).METRICS_HOST).toBe('0.0.0.0');
  });

  it('refuses a public /metrics without METRICS_TOKEN, and a short token', () => {
    expect(problems({ ...PRODUCTION, METRICS_HOST: '0.0.0.0' })).toEqual([
      expect.stringMatching(/^METRICS_HOST: .*METRICS_TOKEN/),
    ]);
    expect(problems({ ...PRODUCTION, METRICS_TOKEN: 'short' })).toEqual([
      expect.stringMatching(/^METRICS_TOKEN: is 5 characters; .* at least 32/),
    ]);
    const open = parseEnv({ ...PRODUCTION, METRICS_TOKEN: 't'.repeat(32) });
    expect(open.METRICS_HOST).toBe('0.0.0.0');
    expect(problems({ METRICS_HOST: '0.0.0.0', METRICS_TOKEN: 'short' })).toEqual([]);
  });

  it('refuses the mock reward provider and short reward secrets', () => {
    const { REWARD_PROVIDER: _p, ...defaultProvider } = PRODUCTION;
    expect(problems(defaultProvider)).toEqual([
      expect.stringMatching(/^REWARD_PROVIDER: REWARD_PROVIDER=mock is refused/),
    ]);
    expect(problems({ ...PRODUCTION, REWARD_WEBHOOK_SECRET: 'short' })).toEqual([
      expect.stringMatching(/^REWARD_WEBHOOK_SECRET: is 5 characters/),
    ]);
    expect(problems({ ...PRODUCTION, QA_CLOCK: 'enabled' })).toEqual([
      expect.stringMatching(/^QA_CLOCK: QA_CLOCK=enabled is refused/),
    ]);
  });

  it('refuses the settings the partition lease replaced, naming the new one', () => {
    expect(problems({ WORKER_LOCK_MS: '30000', WORKER_STALLED_INTERVAL_MS: '5000' })).toEqual([
      expect.stringMatching(/^WORKER_LOCK_MS: is no longer read: .*WORKER_LEASE_MS/),
      expect.stringMatching(/^WORKER_STALLED_INTERVAL_MS: is no longer read: .*WORKER_LEASE_MS/),
    ]);
    expect(problems({ WORKER_LEASE_MS: '3000' })).toEqual([]);
  });
});
