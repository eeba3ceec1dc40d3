import type { BlockList } from 'node:net';
import {
  createDashboardUserRepository,
  createIngestApiKeyRepository,
  type DashboardUserRepository,
  type IngestApiKeyRepository,
  type PrismaClient,
} from '@challenges/db';
import type { RedisClient } from '@challenges/runtime';
import type { Logger } from 'pino';
import type { Env } from '../env.ts';
import { type DashboardSessions, dashboardSessions } from './dashboard-session.ts';
import { ensureInitialAdmin } from './dashboard-users.ts';
import { type CachedIngestKeyVerifier, databaseIngestKeys } from './ingest-api-keys.ts';
import { type LoginLimiter, redisLoginLimiter } from './login-limiter.ts';
import { type VerificationSlots, verificationSlots } from './verification-slots.ts';

/** Dashboard sign-in: accounts, sessions, failed-login budget, API keys. */
export interface DashboardDeps {
  users: DashboardUserRepository;
  sessions: DashboardSessions;
  loginLimiter: LoginLimiter;
  /** The cap on concurrent password checks in this process. */
  verificationSlots: VerificationSlots;
  /** Origins whose cookie-authenticated changes are accepted (CSRF rule, same-origin.ts). */
  origins: ReadonlySet<string>;
  /** Peers whose X-Forwarded-For is believed when counting sign-ins per address. */
  trustedProxies: BlockList;
  apiKeys: IngestApiKeyRepository;
  /** Revokes clear its cache so they apply on this replica at once. */
  apiKeyVerifier: CachedIngestKeyVerifier;
}

/** Dashboard sign-in for this process: repositories, sessions, limiter, the first admin. */
export async function startDashboard(deps: {
  env: Env;
  log: Logger;
  prisma: PrismaClient;
  redis: RedisClient;
}): Promise<DashboardDeps> {
  const { env, log, prisma, redis } = deps;
  if (env.sessionSecretGenerated) {
    log.warn(
      'SESSION_SECRET is not set: using a random one for this process, so dashboard sessions ' +
        'end on restart and do not work across replicas; set SESSION_SECRET (≥ 32 characters)',
    );
  }
  const users = createDashboardUserRepository(prisma);
  const apiKeys = createIngestApiKeyRepository(prisma);
  const firstAdmin = { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD };
  await ensureInitialAdmin(users, { ...firstAdmin, generate: env.localAdmin }, log);
  return {
    users,
    apiKeys,
    apiKeyVerifier: databaseIngestKeys(apiKeys),
    sessions: dashboardSessions({ secret: env.SESSION_SECRET, secure: env.production }),
    loginLimiter: redisLoginLimiter({ redis, prefix: env.QUEUE_PREFIX, log }),
    verificationSlots: verificationSlots(env.SIGN_IN_MAX_VERIFICATIONS),
    origins: env.dashboardOrigins,
    trustedProxies: env.TRUSTED_PROXIES,
  };
}
