/**
 * A complete, strong production configuration for the api (tests only): every rule of
 * docs/production-checklist.md satisfied, so a test can weaken exactly one setting.
 */
export const PRODUCTION_ENV: Readonly<Record<string, string>> = Object.freeze({
  NODE_ENV: 'production',
  AUTH_MODE: 'jwt',
  JWT_SECRET: 'production-jwt-secret-0123456789abcdef',
  JWT_ISSUER: 'https://iam.example.com',
  JWT_AUDIENCE: 'challenges',
  SESSION_SECRET: 'production-session-secret-0123456789abcdef',
  PSEUDONYM_SECRET: 'production-pseudonym-secret-0123456789abcdef',
  REWARD_PROVIDER: 'webhook',
  REWARD_WEBHOOK_URL: 'http://127.0.0.1:9/rewards',
  REWARD_WEBHOOK_SECRET: 'production-webhook-secret-0123456789abcdef',
});
