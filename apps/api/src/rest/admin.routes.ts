import { CoreError, formatTimestamp } from '@challenges/core';
import type { Clock } from '@challenges/runtime';
import type { FastifyInstance } from 'fastify';
import { bearerIsSecret } from '../auth/same-secret.ts';
import { parseInput, ZClockBody } from '../edge/inputs.ts';

/**
 * Operator calls under /admin/v1. Without credentials: 401; with credentials that are not the
 * admin key (a player's token or mock id): 403.
 */
export function registerAdminRoutes(
  app: FastifyInstance,
  deps: { clock: Clock; adminApiKey: string | undefined; qaClockEnabled: boolean },
): void {
  app.addHook('preHandler', async (req) => {
    const authorization = req.headers.authorization;
    if (!authorization && !req.headers['x-mock-user-id']) {
      throw new CoreError('UNAUTHENTICATED', 'missing credentials');
    }
    if (!deps.adminApiKey || !bearerIsSecret(authorization, deps.adminApiKey)) {
      throw new CoreError('PERMISSION_DENIED', 'admin credentials required');
    }
  });

  const clockState = () => ({
    offsetSeconds: deps.clock.offsetSeconds(),
    now: formatTimestamp(deps.clock.now()),
  });

  app.get('/admin/v1/clock', async () => clockState());

  app.post('/admin/v1/clock', async (req) => {
    if (!deps.qaClockEnabled) {
      throw new CoreError('PERMISSION_DENIED', 'the QA clock is disabled (set QA_CLOCK=enabled)');
    }
    const { offsetSeconds } = parseInput(ZClockBody, req.body, 'body');
    await deps.clock.setOffsetSeconds(offsetSeconds);
    return clockState();
  });
}
