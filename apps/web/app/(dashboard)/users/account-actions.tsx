'use client';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { describeError, useTRPC } from '@/lib/trpc';

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
  const trpc = useTRPC();
  const [asking, setAsking] = useState<Action | null>(null);
  const after = { onSuccess: () => setAsking(null), onSettled: onChanged };
  const actions = {
    enable: useMutation(trpc.user.enable.mutationOptions(after)),
    disable: useMutation(trpc.user.disable.mutationOptions(after)),
    delete: useMutation(trpc.user.delete.mutationOptions(after)),
  };
  // One account action at a time: the last one tried is the one whose state shows.
  const [last, setLast] = useState<Action | 'enable'>('enable');
  const act = actions[last];
  const run = (action: Action | 'enable') => {
    for (const other of Object.values(actions)) other.reset();
    setLast(action);
    actions[action].mutate({ userId: user.id });
  };
  const cancel = () => {
    setAsking(null);
    act.reset();
  };
  const confirm = asking && CONFIRM[asking];
  return (
    <>
      {user.disabled ? (
        <Button variant="secondary" size="sm" busy={act.isPending} onClick={() => run('enable')}>
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
        <p className="basis-full text-xs text-rose-600">{describeError(act.error).message}</p>
      )}
      <ConfirmDialog
        open={confirm !== null}
        title={confirm?.title(user.email) ?? ''}
        confirmLabel={confirm?.label ?? ''}
        busy={act.isPending}
        error={asking && act.error ? describeError(act.error).message : null}
        onConfirm={() => asking && run(asking)}
        onCancel={cancel}
      >
        {confirm?.body}
      </ConfirmDialog>
    </>
  );
}
