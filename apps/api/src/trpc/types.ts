import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './router.ts';

/**
 * The api's public tRPC surface (`@challenges/api/trpc`): types only, so a client such as the
 * dashboard type-checks its calls without bundling a line of the server.
 */
export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
