'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, Suspense, useState } from 'react';
import { Button } from '@/components/ui/button';
import { ErrorText } from '@/components/ui/feedback';
import { Input } from '@/components/ui/input';
import { safeReturnPath } from '@/lib/sign-in-path';
import { useTRPC } from '@/lib/trpc';

function SignInForm() {
  const router = useRouter();
  const next = safeReturnPath(useSearchParams().get('next'));
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      onSuccess: (session) => {
        queryClient.setQueryData(trpc.auth.session.queryKey(), session);
        router.replace(next);
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email, password });
  };
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <form
        onSubmit={submit}
        className="w-full max-w-sm space-y-4 rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200"
      >
        <div>
          <p className="text-xs font-semibold uppercase tracking-wider text-indigo-600">
            Challenges
          </p>
          <h1 className="mt-1 text-xl font-semibold">Sign in to the dashboard</h1>
        </div>
        <Input
          label="Email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Input
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <ErrorText error={signIn.error} />
        <Button type="submit" className="w-full" busy={signIn.isPending}>
          Sign in
        </Button>
      </form>
    </main>
  );
}

/** The return path comes from the URL, which a static page reads only in the browser. */
export default function SignInPage() {
  return (
    <Suspense>
      <SignInForm />
    </Suspense>
  );
}
