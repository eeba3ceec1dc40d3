import type { AppRouter, RouterInputs, RouterOutputs } from '@challenges/api/trpc';
import { useQueryClient } from '@tanstack/react-query';
import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';

/**
 * The one tRPC client of a tab, made by `app/providers.tsx`. Relative `/trpc`: the dashboard's
 * route handler forwards it to the api, so the browser stays on one origin and the api's
 * http-only session cookie is sent with every call. `auth.*` calls go alone: the api refuses a
 * batch that names one (a batch would be many password guesses in one request).
 */
export function createDashboardClient() {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.path.startsWith('auth.'),
        true: httpLink({ url: '/trpc' }),
        false: httpBatchLink({ url: '/trpc' }),
      }),
    ],
  });
}

/**
 * Every page fetches through `useTRPC()`: `useQuery(trpc.x.y.queryOptions(input))`,
 * `useMutation(trpc.x.y.mutationOptions())`, `queryClient.invalidateQueries(trpc.x.y.pathFilter())`.
 * The query keys come from the procedure's path and input, so no page writes one by hand
 * (`scripts/dashboard-query-keys.test.ts` checks it).
 */
export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

export type { AppRouter, RouterInputs, RouterOutputs };

interface ErrorData {
  code?: string;
  errorCode?: string | null;
  details?: string[];
  issues?: { path: string; message: string }[];
}

/**
 * The api words its errors for every client (REST, gRPC, tRPC) as lowercase clauses
 * ("this needs the editor role"); the dashboard shows them as sentences, here and nowhere else.
 */
const INTERNAL =
  'Something went wrong on the server. Try again; if it keeps failing, see the api log.';
const UNREACHABLE = 'The dashboard cannot reach its server. Check the connection and try again.';

/** "this needs the editor role" → "This needs the editor role." */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

/** The message and any listed problems of a failed call, as sentences, for showing where it happened. */
export function describeError(error: unknown): { message: string; details: string[] } {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as ErrorData;
    const details =
      data.details?.map(asSentence) ??
      data.issues?.map((i) => `${i.path}: ${asSentence(i.message)}`) ??
      [];
    const message =
      data.code === 'INTERNAL_SERVER_ERROR'
        ? INTERNAL
        : error.cause instanceof TypeError && !error.data
          ? UNREACHABLE
          : // A refused input's own message is the raw list of zod issues; the details say it.
            data.issues
            ? 'Some fields are not valid.'
            : asSentence(error.message);
    return { message, details };
  }
  if (error instanceof TypeError) return { message: UNREACHABLE, details: [] };
  return {
    message: asSentence(error instanceof Error ? error.message : String(error)),
    details: [],
  };
}

export function isUnauthenticated(error: unknown): boolean {
  return error instanceof TRPCClientError && error.data?.code === 'UNAUTHORIZED';
}

/** A write refused because someone else changed what it was based on. */
export function isConflict(error: unknown): boolean {
  return error instanceof TRPCClientError && error.data?.code === 'CONFLICT';
}

/** After a refused draft write: fetch the draft as it is now, with who saved it. */
export function useRefreshDraftOnConflict(): (error: unknown) => Promise<void> {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async (error) => {
    if (!isConflict(error)) return;
    await queryClient.invalidateQueries(trpc.challenge.draft.pathFilter());
    await queryClient.invalidateQueries(trpc.challenge.diffDraft.pathFilter());
  };
}

export function isForbidden(error: unknown): boolean {
  return error instanceof TRPCClientError && error.data?.code === 'FORBIDDEN';
}
