'use client';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { PageHeader } from '@/components/page-header';
import { useSession } from '@/components/session';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorText } from '@/components/ui/feedback';
import { Input } from '@/components/ui/input';
import { MIN_PASSWORD_LENGTH } from '@/lib/passwords';
import { useTRPC } from '@/lib/trpc';

function ChangePassword() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const trpc = useTRPC();
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: () => {
        setCurrent('');
        setNext('');
        setRepeat('');
      },
    }),
  );
  const mismatch = repeat !== '' && repeat !== next;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!mismatch) change.mutate({ currentPassword: current, newPassword: next });
  };
  return (
    <Card title="Change password">
      <form onSubmit={submit} className="space-y-3">
        <Input
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <Input
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
        <Input
          label="Repeat the new password"
          type="password"
          autoComplete="new-password"
          required
          value={repeat}
          error={mismatch ? 'The two new passwords differ.' : undefined}
          onChange={(e) => setRepeat(e.target.value)}
        />
        <p className="text-xs text-slate-500">
          At least {MIN_PASSWORD_LENGTH} characters. Your other sessions end; this one stays.
        </p>
        <ErrorText error={change.error} />
        {change.isSuccess && (
          <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-700">
            Password changed. Every other session of your account was signed out.
          </p>
        )}
        <Button type="submit" busy={change.isPending} disabled={mismatch}>
          Change password
        </Button>
      </form>
    </Card>
  );
}

export default function AccountPage() {
  const me = useSession();
  return (
    <>
      <PageHeader title="Account" description={`Signed in as ${me.email} (${me.role}).`} />
      <div className="max-w-md">
        <ChangePassword />
      </div>
    </>
  );
}
