import { describe, expect, it } from 'vitest';
import { parseEnv } from './env.ts';

describe('reward settings in the worker env', () => {
  it('defaults to the mock provider with 8 attempts and a 500 ms inline timeout', () => {
    const env = parseEnv({});
    expect([env.REWARD_PROVIDER, env.REWARD_MAX_ATTEMPTS, env.REWARD_INLINE_TIMEOUT_MS]).toEqual([
      'mock',
      8,
      500,
    ]);
  });

  it('webhook needs its URL and secret; accelbyte needs its three settings', () => {
    expect(() =>
      parseEnv({ REWARD_PROVIDER: 'webhook', REWARD_WEBHOOK_URL: 'http://x/y' }),
    ).toThrow(/REWARD_WEBHOOK_URL and REWARD_WEBHOOK_SECRET/);
    expect(() => parseEnv({ REWARD_PROVIDER: 'accelbyte', AB_BASE_URL: 'http://ags' })).toThrow(
      /AB_BASE_URL, AB_CLIENT_ID and AB_CLIENT_SECRET/,
    );
    expect(() => parseEnv({ REWARD_PROVIDER: 'webhook', REWARD_WEBHOOK_URL: 'not a url' })).toThrow(
      /REWARD_WEBHOOK_URL/,
    );
    const ok = parseEnv({
      REWARD_PROVIDER: 'accelbyte',
      AB_BASE_URL: 'https://demo.accelbyte.io',
      AB_CLIENT_ID: 'id',
      AB_CLIENT_SECRET: 'secret',
    });
    expect(ok.REWARD_PROVIDER).toBe('accelbyte');
  });
});
