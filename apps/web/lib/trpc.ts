import type { AppRouter, RouterInputs, RouterOutputs } from '@challenges/api/trpc';
import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';

/**
 * Relative `/trpc`: the dashboard's route handler forwards it to the api, so the browser stays
 * on one origin and the api's http-only session cookie is sent with every call. `auth.*` calls
 * go alone: the api refuses a batch that names one (a batch would be many password guesses in
 * one request).
 */
export const trpc = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.path.startsWith('auth.'),
      true: httpLink({ url: '/trpc' }),
      false: httpBatchLink({ url: '/trpc' }),
    }),
  ],
});

export type { AppRouter, RouterInputs, RouterOutputs };

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

export function isForbidden(error: unknown): boolean {
  return error instanceof TRPCClientError && error.data?.code === 'FORBIDDEN';
}
