'use client';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorText } from '@/components/ui/feedback';
import { Input } from '@/components/ui/input';
import { MIN_PASSWORD_LENGTH } from '@/lib/passwords';
import { useTRPC } from '@/lib/trpc';

/** An admin sets a new password for someone else; the api ends that user's sessions. */
export function ResetPassword({ user }: { user: { id: string; email: string } }) {
  const formId = useId();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const trpc = useTRPC();
  const reset = useMutation(
    trpc.user.resetPassword.mutationOptions({ onSuccess: () => setPassword('') }),
  );
  const close = () => {
    setOpen(false);
    setPassword('');
    reset.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reset.mutate({ userId: user.id, password });
  };
  const footer = reset.isSuccess ? (
    <Button onClick={close}>Done</Button>
  ) : (
    <>
      <Button variant="secondary" onClick={close}>
        Cancel
      </Button>
      <Button type="submit" form={formId} busy={reset.isPending}>
        Set password
      </Button>
    </>
  );
  return (
    <>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)}>
        Reset password
      </Button>
      <Dialog open={open} title="Reset password" onClose={close} footer={footer}>
        {reset.isSuccess ? (
          <p role="status">
            New password set. <strong>{user.email}</strong> was signed out everywhere; give them the
            new password.
          </p>
        ) : (
          <form id={formId} onSubmit={submit} className="space-y-3">
            <p>
              A new password for <strong>{user.email}</strong>. Their sessions end at once.
            </p>
            <Input
              label="New password"
              type="password"
              autoComplete="new-password"
              required
              minLength={MIN_PASSWORD_LENGTH}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <ErrorText error={reset.error} />
          </form>
        )}
      </Dialog>
    </>
  );
}
