import { CoreError } from '@challenges/core';
import { readRawProfile } from '@challenges/runtime';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DashboardDeps } from '../auth/dashboard.ts';
import { sessionUser } from '../auth/dashboard-users.ts';
import { assertSameOriginJson } from '../auth/same-origin.ts';
import { bearerIsSecret } from '../auth/same-secret.ts';
import { parseInput, ZProfileBody, ZProfileParams } from '../edge/inputs.ts';
import type { ObservabilityDeps } from '../observability/observability.ts';
import { profileProcess } from '../observability/observability.ts';

/**
 * Profiling over REST for scripts (ADMIN_API_KEY) and for the dashboard's download link (an
 * admin session cookie). Own scope: the clock routes accept the admin key only. A change made
 * with the cookie passes the dashboard's CSRF rule; the bearer key is no ambient credential a
 * browser attaches by itself, so it needs none.
 */
export function registerProfileRoutes(
  app: FastifyInstance,
  deps: {
    observability: ObservabilityDeps;
    dashboard: DashboardDeps;
    adminApiKey: string | undefined;
  },
): void {
  const adminBy = async (req: FastifyRequest): Promise<'key' | 'session' | null> => {
    if (deps.adminApiKey && bearerIsSecret(req.headers.authorization, deps.adminApiKey)) {
      return 'key';
    }
    const user = await sessionUser(deps.dashboard.users, await deps.dashboard.sessions.read(req));
    return user?.role === 'admin' ? 'session' : null;
  };
  // onRequest, before the body is read: nobody but an admin gets a body parsed.
  app.addHook('onRequest', async (req) => {
    const by = await adminBy(req);
    if (by === 'session' && req.method !== 'GET' && req.method !== 'HEAD') {
      assertSameOriginJson(req.headers, deps.dashboard.origins);
    }
    if (by) return;
    const anyCredentials =
      req.headers.authorization || req.headers['x-mock-user-id'] || req.headers.cookie;
    if (!anyCredentials) throw new CoreError('UNAUTHENTICATED', 'missing credentials');
    throw new CoreError('PERMISSION_DENIED', 'admin credentials required');
  });

  app.post('/admin/v1/profile', async (req) => {
    const input = parseInput(ZProfileBody, req.body, 'body');
    return profileProcess(deps.observability, input);
  });

  app.get('/admin/v1/profiles/:id', async (req, reply) => {
    const { id } = parseInput(ZProfileParams, req.params, 'path');
    const { redis, prefix } = deps.observability;
    const found = await readRawProfile(redis, prefix, id);
    if (!found) throw new CoreError('NOT_FOUND', `no profile ${id} (they expire after an hour)`);
    return reply
      .header('content-type', 'application/json')
      .header('content-disposition', `attachment; filename="${found.filename}"`)
      .send(found.raw);
  });
}
