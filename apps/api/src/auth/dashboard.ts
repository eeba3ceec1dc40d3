import {
  createDashboardUserRepository,
  createIngestApiKeyRepository,
  type PrismaClient,
} from '@challenges/db';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Env } from '../env.ts';
import type { DashboardDeps } from '../trpc/context.ts';
import { dashboardSessions } from './dashboard-session.ts';
import { ensureInitialAdmin } from './dashboard-users.ts';
import { databaseIngestKeys } from './ingest-api-keys.ts';
import { redisLoginLimiter } from './login-limiter.ts';
import { verificationSlots } from './verification-slots.ts';

/** Dashboard sign-in for this process: repositories, sessions, limiter, the first admin. */
export async function startDashboard(deps: {
  env: Env;
  log: Logger;
  prisma: PrismaClient;
  redis: Redis;
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
  await ensureInitialAdmin(users, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }, log);
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
