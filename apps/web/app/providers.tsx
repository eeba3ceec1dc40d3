'use client';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { goToSignIn } from '@/lib/sign-in-path';
import { isForbidden, isUnauthenticated } from '@/lib/trpc';

/**
 * A session ended elsewhere (signed out, password reset, account disabled or deleted) answers
 * every call with 401: polling on would only repeat the error, so the tab goes to sign-in and
 * comes back here afterwards. A 403 means the role changed under this tab: re-reading the
 * session makes the controls follow the role the api now enforces.
 */
function onCallError(client: () => QueryClient) {
  return (error: unknown) => {
    if (isUnauthenticated(error) && !window.location.pathname.startsWith('/sign-in')) {
      goToSignIn();
    } else if (isForbidden(error)) {
      void client().invalidateQueries({ queryKey: ['auth.session'] });
    }
  };
}

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(() => {
    const created: QueryClient = new QueryClient({
      queryCache: new QueryCache({ onError: onCallError(() => created) }),
      mutationCache: new MutationCache({ onError: onCallError(() => created) }),
      // A failed call is shown where it happened; retrying a 403 or a validation error
      // three times would only delay that message.
      defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
    });
    return created;
  });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
