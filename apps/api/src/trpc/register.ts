import { fastifyRequestHandler } from '@trpc/server/adapters/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { contextFactory, type TrpcDeps } from './context.ts';
import { appRouter } from './router.ts';

/**
 * Dashboard calls carry whole definition files (the 500-goal fixture is 280 KB), so tRPC gets a
 * larger body limit than the player REST API's 64 KB.
 */
export const TRPC_BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/** Serves the app router at `/trpc` (the root, not under BASE_PATH; docs/api.md). */
export async function registerTrpc(
  app: FastifyInstance,
  deps: TrpcDeps,
  options: { bodyLimitBytes?: number } = {},
): Promise<void> {
  const createContext = contextFactory(deps);
  await app.register(async (scope) => {
    // Leave the body unread: tRPC streams it itself, enforcing maxBodySize with its own
    // PAYLOAD_TOO_LARGE answer (batch-shaped, which a Fastify error body would not be).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    scope.all('/trpc/:path', async (req: FastifyRequest<{ Params: { path: string } }>, reply) => {
      await fastifyRequestHandler({
        router: appRouter,
        createContext,
        req,
        res: reply as FastifyReply,
        path: req.params.path,
        maxBodySize: options.bodyLimitBytes ?? TRPC_BODY_LIMIT_BYTES,
        onError: ({ error, path }) => {
          if (error.code === 'INTERNAL_SERVER_ERROR') {
            req.log.error({ err: error.cause ?? error, path }, 'tRPC call failed');
          }
        },
      });
    });
  });
}
