import { CoreError, isCoreError } from '@challenges/core';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  LogController,
} from 'fastify';
import type { Logger } from 'pino';
import type { AppContext } from '../application/context.ts';
import type { PlayerAuthenticator } from '../auth/player-auth.ts';
import type { HealthCheck } from '../edge/health.ts';
import type { PlayerRateLimiter } from '../edge/rate-limit.ts';
import type { ApiMetrics } from '../metrics/metrics.ts';
import type { PushDeps } from '../push/push-deps.ts';
import { registerAdminRoutes } from './admin.routes.ts';
import { drainUpload } from './drain-upload.ts';
import { errorBody, toCoreError } from './errors.ts';
import { registerOpenApiRoutes } from './openapi/openapi.routes.ts';
import { registerPlayerRoutes } from './player.routes.ts';
import { requestIdOf } from './request-id.ts';

export interface RestOptions {
  ctx: AppContext;
  auth: PlayerAuthenticator;
  health: HealthCheck;
  log: Logger;
  basePath: string;
  adminApiKey: string | undefined;
  qaClockEnabled: boolean;
  bodyLimitBytes?: number;
  /** Per-route request duration histogram. */
  metrics?: Pick<ApiMetrics, 'httpDuration'> & Partial<Pick<ApiMetrics, 'live'>>;
  /** A limiter shared with other player edges (gRPC), so a player has one budget. */
  limiter: PlayerRateLimiter;
  /** Push streams (docs/push.md). */
  push?: PushDeps;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered so far as `METHOD /url` (HEAD left out): the authorization
     * matrix checks it has a row for each. */
    routeList(): string[];
  }
}

/** Methods each route pattern answers, to tell 405 from 404. */
function methodIndex(app: FastifyInstance) {
  const routes: { pattern: RegExp; method: string; url: string }[] = [];
  app.addHook('onRoute', (route) => {
    const source = route.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[^/]+/g, '[^/]+');
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') {
        routes.push({ pattern: new RegExp(`^${source}/?$`), method, url: route.url });
      }
    }
  });
  app.decorate('routeList', () => routes.map((r) => `${r.method} ${r.url}`));
  return (path: string) => routes.filter((r) => r.pattern.test(path)).map((r) => r.method);
}

/** Labels by route pattern, not raw URL, so ids in paths do not explode the series count. */
function observeDurations(
  app: FastifyInstance,
  metrics: NonNullable<RestOptions['metrics']>,
): void {
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.httpDuration.observe(
      { route, method: req.method, status: String(reply.statusCode) },
      seconds,
    );
    // tRPC calls are counted per procedure by their own middleware, not as one REST route.
    if (!route.startsWith('/trpc/')) metrics.live?.observe(`REST ${req.method} ${route}`, seconds);
  });
}

export async function buildRestServer(options: RestOptions): Promise<FastifyInstance> {
  const { ctx, log, basePath } = options;
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    // Router-level failures (e.g. a path parameter over maxParamLength) get the error body too.
    frameworkErrors: (error, _req, reply) => {
      const { status, body } = errorBody(toCoreError(error));
      void (reply as FastifyReply).status(status).send(body);
    },
    bodyLimit: options.bodyLimitBytes ?? 64 * 1024,
    routerOptions: { maxParamLength: 512, ignoreTrailingSlash: true },
    genReqId: (req) => requestIdOf(req.headers['x-request-id']),
  });
  // The id in the logs, echoed so a caller can quote it (a refused header's replacement too).
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });
  const allowedMethods = methodIndex(app);
  if (options.metrics) observeDurations(app, options.metrics);

  // Every body is JSON whatever its content type says; an empty body is "no fields".
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(
        new CoreError('INVALID_ARGUMENT', `malformed JSON body: ${(error as Error).message}`),
        undefined,
      );
    }
  });

  app.setErrorHandler(async (error, req, reply) => {
    const core = toCoreError(error);
    if (core.code === 'INTERNAL') req.log.error({ err: error }, 'request failed');
    else if (core.code === 'UNAVAILABLE' && !isCoreError(error)) {
      req.log.warn({ err: error }, 'request failed: dependency unavailable');
    }
    // Fastify answers a body error (413) with `connection: close`, often before reading the
    // upload: consume it first, or the close resets the connection and loses this answer.
    if (reply.getHeader('connection') === 'close') await drainUpload(req.raw);
    const { status, body } = errorBody(core);
    return reply.status(status).send(body);
  });

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const methods = allowedMethods(path);
    // A known method that still found no route had a parameter over the router's length limit.
    const allowed = methods.includes(req.method) ? [] : methods;
    const core =
      allowed.length > 0
        ? new CoreError('METHOD_NOT_ALLOWED', `method ${req.method} is not allowed on ${path}`)
        : new CoreError('ROUTE_NOT_FOUND', `no route ${req.method} ${path}`);
    if (allowed.length > 0) reply.header('allow', allowed.join(', '));
    const { status, body } = errorBody(core);
    return reply.status(status).send(body);
  });

  const healthz = async (_req: unknown, reply: FastifyReply) => {
    const result = await options.health();
    return result.healthy
      ? reply.send({ status: 'healthy' })
      : reply.status(503).send({ status: 'unhealthy', checks: result.checks });
  };
  app.get('/healthz', healthz);
  if (basePath !== '') app.get(`${basePath}/healthz`, healthz);
  await app.register(async (scope) => registerOpenApiRoutes(scope, { basePath }), {
    prefix: basePath,
  });

  const { limiter } = options;
  await app.register(
    async (scope) =>
      registerPlayerRoutes(scope, { ctx, auth: options.auth, limiter, push: options.push }),
    {
      prefix: basePath,
    },
  );
  await app.register(
    async (scope) =>
      registerAdminRoutes(scope, {
        clock: ctx.clock,
        adminApiKey: options.adminApiKey,
        qaClockEnabled: options.qaClockEnabled,
      }),
    { prefix: basePath },
  );
  return app;
}
