import type { AppRouter } from '@challenges/api/trpc/router.ts';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';

/**
 * Relative `/trpc`: Next rewrites it to the api, so the browser stays on one origin and the
 * api's http-only session cookie is sent with every call.
 */
export const trpc = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: '/trpc' })],
});

export type { AppRouter };

interface ErrorData {
  code?: string;
  errorCode?: string | null;
  details?: string[];
  issues?: { path: string; message: string }[];
}

/** The message and any listed problems of a failed call, for showing where it happened. */
export function describeError(error: unknown): { message: string; details: string[] } {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as ErrorData;
    const details = data.details ?? data.issues?.map((i) => `${i.path}: ${i.message}`) ?? [];
    return { message: error.message, details };
  }
  return { message: error instanceof Error ? error.message : String(error), details: [] };
}

export function isUnauthenticated(error: unknown): boolean {
  return error instanceof TRPCClientError && error.data?.code === 'UNAUTHORIZED';
}
