'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { Nav } from '@/components/nav';
import { SessionContext } from '@/components/session';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ErrorText, Loading } from '@/components/ui/feedback';
import { goToSignIn, signOutInTab } from '@/lib/sign-in-path';
import { useTRPC } from '@/lib/trpc';

const SESSION_RECHECK_MS = 30_000;

/** Every dashboard page: signed in or sent to /sign-in; the role decides what is shown. */
export default function DashboardLayout({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const session = useQuery(
    trpc.auth.session.queryOptions(undefined, {
      // A role changed or an account disabled by an admin reaches an open tab: on focus at once,
      // otherwise within the interval (the api enforces the new role either way).
      refetchOnWindowFocus: true,
      refetchInterval: SESSION_RECHECK_MS,
    }),
  );
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onMutate: signOutInTab.begin,
      onError: signOutInTab.failed,
      onSuccess: () => window.location.replace('/sign-in'),
    }),
  );
  const signedOut = session.isSuccess && session.data === null;
  useEffect(() => {
    if (signedOut) goToSignIn();
  }, [signedOut]);

  if (session.isError) {
    return (
      <main className="p-8">
        <ErrorText error={session.error} />
      </main>
    );
  }
  if (!session.data) {
    return (
      <main className="p-8">
        <Loading />
      </main>
    );
  }
  return (
    <SessionContext.Provider value={session.data}>
      <div className="min-h-screen md:flex">
        <aside className="flex flex-col gap-4 bg-slate-900 px-3 py-4 md:sticky md:top-0 md:h-screen md:w-56 md:shrink-0">
          <div className="px-3">
            <p className="text-sm font-semibold text-white">Challenges</p>
            <p className="text-xs text-slate-400">live-ops dashboard</p>
          </div>
          <div className="overflow-x-auto md:overflow-visible">
            <Nav />
          </div>
          <div className="flex items-center gap-2 px-3 md:mt-auto md:block md:space-y-2">
            <p className="min-w-0 truncate text-xs text-slate-300" title={session.data.email}>
              {session.data.email}
            </p>
            <Badge tone="indigo">{session.data.role}</Badge>
            <Button
              variant="secondary"
              size="sm"
              className="ml-auto md:w-full"
              busy={signOut.isPending}
              onClick={() => signOut.mutate()}
            >
              Sign out
            </Button>
          </div>
        </aside>
        <main className="min-w-0 flex-1 px-4 py-6 md:px-8">{children}</main>
      </div>
    </SessionContext.Provider>
  );
}
