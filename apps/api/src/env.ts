import { randomBytes } from 'node:crypto';
import { checkRewardEnv, rewardEnvShape } from '@challenges/runtime/reward-env';
import { z } from 'zod';
import { DEFAULT_TRUSTED_PROXIES, parseTrustedProxies } from './auth/client-address.ts';
import { defaultOrigins, parseOrigins } from './auth/same-origin.ts';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);
/** A parser that throws becomes a configuration issue naming the variable. */
const parsedWith =
  <T>(parse: (value: string) => T) =>
  (value: string, ctx: z.RefinementCtx) => {
    try {
      return parse(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  };
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const ZEnv = z
  .object({
    NODE_ENV: z.string().default('development'),
    DATABASE_URL: z.string().default('postgresql://postgres@127.0.0.1:5432/challenges'),
    REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
    CHALLENGES_FILE: optionalText,
    AUTH_MODE: z.enum(['mock', 'jwt']).optional(),
    JWT_JWKS_URL: optionalText,
    JWT_PUBLIC_KEY: optionalText,
    JWT_SECRET: optionalText,
    JWT_ISSUER: optionalText,
    JWT_AUDIENCE: optionalText,
    JWT_ALGORITHMS: optionalText,
    NAMESPACE: z.string().default('test'),
    BASE_PATH: z
      .string()
      .default('/challenge')
      .transform((v) => (v === '/' ? '' : v.replace(/\/+$/, '')))
      .refine((v) => v === '' || v.startsWith('/'), 'BASE_PATH must start with /'),
    HTTP_HOST: z.string().default('0.0.0.0'),
    HTTP_PORT: port(8000),
    GRPC_PORT: port(6565),
    EVENTS_GRPC_PORT: port(6566),
    METRICS_PORT: port(8080),
    ROLE: z.enum(['api', 'ingest', 'all']).default('all'),
    QUEUE_PREFIX: z.string().min(1).default('challenges'),
    RATE_LIMIT_PER_MIN: z.coerce.number().int().min(0).default(1200),
    QA_CLOCK: optionalText,
    ADMIN_API_KEY: optionalText,
    /** The load-test runner CLI the dashboard spawns (default: the repository's; tests: a fake). */
    LOADTEST_RUNNER: optionalText,
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    // Event ingest (SPEC §6): partition queues, HTTP ingest keys, the metrics listener's token.
    EVENT_PARTITIONS: z.coerce.number().int().min(1).max(1024).default(8),
    INGEST_API_KEYS: optionalText,
    METRICS_TOKEN: optionalText,
    // Dashboard sign-in (SPEC §8): the first admin, and the key that seals session cookies.
    ADMIN_EMAIL: optionalText,
    ADMIN_PASSWORD: optionalText,
    SESSION_SECRET: optionalText,
    // Dashboard request safety (docs/dashboard-security.md): CSRF origins, whose
    // X-Forwarded-For counts, concurrent password checks per process.
    WEB_PORT: port(3000),
    DASHBOARD_ORIGINS: optionalText.pipe(z.string().transform(parsedWith(parseOrigins)).optional()),
    TRUSTED_PROXIES: z
      .string()
      .default(DEFAULT_TRUSTED_PROXIES)
      .transform(parsedWith(parseTrustedProxies)),
    SIGN_IN_MAX_VERIFICATIONS: z.coerce.number().int().min(1).max(64).default(2),
    // Reward delivery (SPEC §7, README "Rewards").
    ...rewardEnvShape,
  })
  .transform((e) => {
    const production = e.NODE_ENV === 'production';
    return {
      ...e,
      production,
      AUTH_MODE: e.AUTH_MODE ?? (production ? 'jwt' : 'mock'),
      qaClockEnabled: e.QA_CLOCK === 'enabled',
      ingestApiKeys: (e.INGEST_API_KEYS ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k !== ''),
      ingestEnabled: e.ROLE === 'ingest' || e.ROLE === 'all',
      dashboardOrigins: new Set(e.DASHBOARD_ORIGINS ?? parseOrigins(defaultOrigins(e.WEB_PORT))),
      // Outside production a missing secret becomes a random one per process (startApi warns):
      // sessions then end on restart and do not carry across replicas.
      sessionSecretGenerated: e.SESSION_SECRET === undefined,
      SESSION_SECRET: e.SESSION_SECRET ?? randomBytes(32).toString('base64url'),
    };
  })
  .superRefine((e, ctx) => {
    checkRewardEnv(e, ctx);
    if (e.production && e.AUTH_MODE === 'mock') {
      ctx.addIssue({
        code: 'custom',
        message: 'AUTH_MODE=mock is refused when NODE_ENV=production',
      });
    }
    if (e.production && e.qaClockEnabled) {
      ctx.addIssue({
        code: 'custom',
        message: 'QA_CLOCK=enabled is refused when NODE_ENV=production',
      });
    }
    if (e.production && e.sessionSecretGenerated) {
      ctx.addIssue({
        code: 'custom',
        message: 'SESSION_SECRET is required when NODE_ENV=production',
      });
    }
    if (e.SESSION_SECRET.length < 32) {
      ctx.addIssue({ code: 'custom', message: 'SESSION_SECRET must be at least 32 characters' });
    }
    if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'ADMIN_EMAIL and ADMIN_PASSWORD go together' });
    }
    if (e.AUTH_MODE === 'jwt' && !e.JWT_JWKS_URL && !e.JWT_PUBLIC_KEY && !e.JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        message: 'AUTH_MODE=jwt needs one of JWT_JWKS_URL, JWT_PUBLIC_KEY or JWT_SECRET',
      });
    }
  });

export type Env = Readonly<z.output<typeof ZEnv>>;

/** Parses a process environment; the only place that reads `process.env`. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = ZEnv.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`);
    throw new Error(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return Object.freeze(result.data);
}
