import { randomBytes } from 'node:crypto';
import { ATTRIBUTE_NAME, AUDIENCE_LIMITS } from '@challenges/core';
import {
  checkSecretLengths,
  checkServiceEnv,
  optionalSwitch,
  optionalText,
  parseEnvWith,
  port,
  refuseInProduction,
  serviceDerived,
  serviceEnvShape,
  switchOn,
} from '@challenges/runtime/env';
import { z } from 'zod';
import { DEFAULT_TRUSTED_PROXIES, parseTrustedProxies } from './auth/client-address.ts';
import { defaultOrigins, parseOrigins } from './auth/same-origin.ts';
import { checkPseudonymEnv, pseudonymEnvShape } from './privacy/pseudonym.ts';

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

/** The REST prefix by default; docs/openapi.json is generated for it. */
export const DEFAULT_BASE_PATH = '/challenge';

const ZEnv = z
  .object({
    ...serviceEnvShape,
    // Mock player auth only when chosen: a forgotten NODE_ENV must not let anyone be anyone.
    AUTH_MODE: z.enum(['mock', 'jwt']).default('jwt'),
    JWT_JWKS_URL: optionalText,
    JWT_PUBLIC_KEY: optionalText,
    JWT_SECRET: optionalText,
    JWT_ISSUER: optionalText,
    JWT_AUDIENCE: optionalText,
    JWT_ALGORITHMS: optionalText,
    BASE_PATH: z
      .string()
      .default(DEFAULT_BASE_PATH)
      .transform((v) => (v === '/' ? '' : v.replace(/\/+$/, '')))
      .refine((v) => v === '' || v.startsWith('/'), 'BASE_PATH must start with /'),
    HTTP_HOST: z.string().default('0.0.0.0'),
    HTTP_PORT: port(8000),
    GRPC_PORT: port(6565),
    /** Player gRPC server reflection: on outside production, off in it unless `enabled`. */
    GRPC_REFLECTION: optionalSwitch,
    EVENTS_GRPC_PORT: port(6566),
    /** Bind address of the event gRPC services; HTTP_HOST when unset. */
    EVENTS_GRPC_HOST: optionalText,
    /** `none` accepts events without an ingest key: only for a port no one else can reach. */
    EVENTS_GRPC_AUTH: z.enum(['key', 'none']).default('key'),
    METRICS_PORT: port(8080),
    ROLE: z.enum(['api', 'ingest', 'all']).default('all'),
    RATE_LIMIT_PER_MIN: z.coerce.number().int().min(0).default(1200),
    /** Open progress streams (SSE + gRPC) one player may hold across every replica (docs/push.md). */
    STREAM_MAX_PER_PLAYER: z.coerce.number().int().min(1).max(1000).default(5),
    /** How long the stream slots of a replica that died stay taken (refreshed every third of it). */
    STREAM_SLOT_TTL_MS: z.coerce.number().int().min(300).max(3_600_000).default(60_000),
    /** Comment lines that keep an idle SSE stream alive through proxies. */
    STREAM_HEARTBEAT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
    ADMIN_API_KEY: optionalText,
    /** The load-test runner CLI the dashboard spawns (default: the repository's; tests: a fake). */
    LOADTEST_RUNNER: optionalText,
    /** Load tests started from the dashboard: on outside production, off in it unless `enabled`. */
    LOADTEST_DASHBOARD: optionalSwitch,
    /** The worker's /metrics, for a run's lost-events count; the worker's port from the shared .env by default. */
    LOADTEST_WORKER_METRICS: optionalText,
    WORKER_METRICS_PORT: port(8081),
    // Event ingest (docs/events.md): the HTTP ingest keys.
    INGEST_API_KEYS: optionalText,
    /** How long an idle ingest gathers events before their one Redis write (0: next turn). */
    INGEST_LINGER_MS: z.coerce.number().min(0).max(50).default(0),
    /** Replicas that must hold a batch before ingest acknowledges it (WAIT; docs/operations.md). */
    REDIS_ACK_REPLICAS: z.coerce.number().int().min(0).max(16).default(0),
    // Dashboard sign-in (docs/dashboard.md): the first admin, and the key that seals session cookies.
    ADMIN_EMAIL: optionalText,
    ADMIN_PASSWORD: optionalText,
    /** `enabled` (npm start): with no admin and no ADMIN_EMAIL, create one and print its password. */
    LOCAL_ADMIN: optionalSwitch,
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
    /** JWT claims copied as player attributes for audiences (docs/definitions.md#audiences). */
    AUDIENCE_JWT_CLAIMS: optionalText,
    // Player data deletion (docs/data-retention.md).
    ...pseudonymEnvShape,
  })
  .transform((e) => {
    const service = serviceDerived(e, e.HTTP_HOST);
    const { production } = service;
    return {
      ...e,
      ...service,
      grpcReflection: switchOn(e.GRPC_REFLECTION, production),
      loadtestDashboard: switchOn(e.LOADTEST_DASHBOARD, production),
      loadtestWorkerMetrics:
        e.LOADTEST_WORKER_METRICS ?? `http://127.0.0.1:${e.WORKER_METRICS_PORT}/metrics`,
      localAdmin: e.LOCAL_ADMIN === 'enabled',
      ingestApiKeys: (e.INGEST_API_KEYS ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k !== ''),
      audienceJwtClaims: (e.AUDIENCE_JWT_CLAIMS ?? '')
        .split(',')
        .map((claim) => claim.trim())
        .filter((claim) => claim !== ''),
      ingestEnabled: e.ROLE === 'ingest' || e.ROLE === 'all',
      EVENTS_GRPC_HOST: e.EVENTS_GRPC_HOST ?? e.HTTP_HOST,
      dashboardOrigins: new Set(e.DASHBOARD_ORIGINS ?? parseOrigins(defaultOrigins(e.WEB_PORT))),
      // Outside production a missing secret becomes a random one per process (startApi warns):
      // sessions then end on restart and do not carry across replicas.
      sessionSecretGenerated: e.SESSION_SECRET === undefined,
      SESSION_SECRET: e.SESSION_SECRET ?? randomBytes(32).toString('base64url'),
    };
  })
  .superRefine((e, ctx) => {
    checkServiceEnv(e, ctx);
    checkPlayerAuth(e, ctx);
    checkPseudonymEnv(e, ctx);
    for (const claim of e.audienceJwtClaims) {
      if (!ATTRIBUTE_NAME.test(claim) || claim.length > AUDIENCE_LIMITS.attrLength) {
        ctx.addIssue({
          code: 'custom',
          message: `AUDIENCE_JWT_CLAIMS: '${claim}' is not an attribute name (letters, digits, _ . : -)`,
        });
      }
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
    refuseInProduction(
      ctx,
      e,
      'LOCAL_ADMIN=enabled',
      e.localAdmin,
      'it prints a generated admin password to the output; set ADMIN_EMAIL and ADMIN_PASSWORD',
    );
    if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'ADMIN_EMAIL and ADMIN_PASSWORD go together' });
    }
    checkSecretLengths(ctx, e.production, {
      JWT_SECRET: e.JWT_SECRET,
      ADMIN_API_KEY: e.ADMIN_API_KEY,
      INGEST_API_KEYS: e.ingestApiKeys,
      METRICS_TOKEN: e.METRICS_TOKEN,
    });
  });

type ParsedEnv = z.output<typeof ZEnv>;

/** Every variable the api reads (docker-compose.yml is checked against this list). */
export const ENV_VARIABLES: readonly string[] = Object.keys(ZEnv.in.shape);

/** jwt (the default) needs a key; production also needs the token's issuer and audience. */
function checkPlayerAuth(e: ParsedEnv, ctx: z.RefinementCtx): void {
  refuseInProduction(
    ctx,
    e,
    'AUTH_MODE=mock',
    e.AUTH_MODE === 'mock',
    'anyone could act as any player',
  );
  if (e.AUTH_MODE !== 'jwt') return;
  if (!e.JWT_JWKS_URL && !e.JWT_PUBLIC_KEY && !e.JWT_SECRET) {
    ctx.addIssue({
      code: 'custom',
      path: ['AUTH_MODE'],
      message:
        'player tokens cannot be verified: set JWT_JWKS_URL, JWT_PUBLIC_KEY or JWT_SECRET (AUTH_MODE=jwt is the default), or AUTH_MODE=mock for local development only (any caller can act as any player; `npm start` sets it for you)',
    });
  }
  for (const claim of ['JWT_ISSUER', 'JWT_AUDIENCE'] as const) {
    if (e.production && e[claim] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [claim],
        message: `required when NODE_ENV=production: tokens are accepted only with this ${claim === 'JWT_ISSUER' ? 'iss' : 'aud'} claim`,
      });
    }
  }
}

export type Env = Readonly<ParsedEnv>;

/** The environment child processes of the api (the load-test runner) inherit. */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return process.env;
}

/** Parses a process environment; with `inheritedEnv`, the only place that reads `process.env`. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  return parseEnvWith(ZEnv, source);
}
