'use client';
import type { AppRouter } from '@challenges/api/trpc';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { type ReactNode, useState } from 'react';
import { goToSignIn } from '@/lib/sign-in-path';
import { createDashboardClient, isForbidden, isUnauthenticated, TRPCProvider } from '@/lib/trpc';

/**
 * A session ended elsewhere (signed out, password reset, account disabled or deleted) answers
 * every call with 401: polling on would only repeat the error, so the tab goes to sign-in and
 * comes back here afterwards. A 403 means the role changed under this tab: re-reading the
 * session makes the controls follow the role the api now enforces.
 */
function onCallError(refreshSession: () => void) {
  return (error: unknown) => {
    if (isUnauthenticated(error) && !window.location.pathname.startsWith('/sign-in')) {
      goToSignIn();
    } else if (isForbidden(error)) {
      refreshSession();
    }
  };
}

function createClients() {
  const trpcClient = createDashboardClient();
  const refreshSession = () => {
    const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
    void queryClient.invalidateQueries(trpc.auth.session.pathFilter());
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: onCallError(refreshSession) }),
    mutationCache: new MutationCache({ onError: onCallError(refreshSession) }),
    // A failed call is shown where it happened; retrying a 403 or a validation error
    // three times would only delay that message.
    defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
  });
  return { queryClient, trpcClient };
}

export function Providers({ children }: { children: ReactNode }) {
  const [{ queryClient, trpcClient }] = useState(createClients);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
