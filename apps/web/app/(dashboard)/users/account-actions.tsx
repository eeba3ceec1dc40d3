'use client';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { describeError, trpc } from '@/lib/trpc';

type Action = 'disable' | 'delete';

const CONFIRM: Record<Action, { title: (email: string) => string; label: string; body: string }> = {
  disable: {
    title: (email) => `Disable ${email}?`,
    label: 'Disable',
    body: 'Their sessions end at once and they cannot sign in until an admin enables the account again.',
  },
  delete: {
    title: (email) => `Delete ${email}?`,
    label: 'Delete user',
    body: 'The account is removed for good and its sessions end at once.',
  },
};

/**
 * Disable and delete ask first: both sign the user out mid-work. Enable does not, it takes
 * nothing away. The api refuses the last admin and one's own account; its message shows here.
 */
export function AccountActions({
  user,
  onChanged,
}: {
  user: { id: string; email: string; disabled: boolean };
  onChanged: () => void;
}) {
  const [asking, setAsking] = useState<Action | null>(null);
  const act = useMutation({
    mutationFn: async (action: Action | 'enable') => {
      const ref = { userId: user.id };
      if (action === 'delete') await trpc.user.delete.mutate(ref);
      else await trpc.user[action].mutate(ref);
    },
    onSuccess: () => setAsking(null),
    onSettled: onChanged,
  });
  const cancel = () => {
    setAsking(null);
    act.reset();
  };
  const confirm = asking && CONFIRM[asking];
  return (
    <>
      {user.disabled ? (
        <Button
          variant="secondary"
          size="sm"
          busy={act.isPending}
          onClick={() => act.mutate('enable')}
        >
          Enable
        </Button>
      ) : (
        <Button variant="ghost" size="sm" onClick={() => setAsking('disable')}>
          Disable
        </Button>
      )}
      <Button variant="ghost" size="sm" onClick={() => setAsking('delete')}>
        Delete
      </Button>
      {!asking && act.error && (
        <p className="text-xs text-rose-600">{describeError(act.error).message}</p>
      )}
      <ConfirmDialog
        open={confirm !== null}
        title={confirm?.title(user.email) ?? ''}
        confirmLabel={confirm?.label ?? ''}
        busy={act.isPending}
        error={asking && act.error ? describeError(act.error).message : null}
        onConfirm={() => asking && act.mutate(asking)}
        onCancel={cancel}
      >
        {confirm?.body}
      </ConfirmDialog>
    </>
  );
}
