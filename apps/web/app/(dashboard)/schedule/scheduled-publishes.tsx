'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useCan } from '@/components/session';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/dialog';
import { ErrorText, Loading } from '@/components/ui/feedback';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { describeError, type RouterOutputs, useTRPC } from '@/lib/trpc';

type Scheduled = RouterOutputs['challenge']['scheduledPublishes'][number];
const TONES = { pending: 'blue', executed: 'green', cancelled: 'grey' } as const;

/** Scheduled publishes, pending first; editors cancel a pending one after a confirmation. */
export function ScheduledPublishes() {
  const canEdit = useCan('editor');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [cancelling, setCancelling] = useState<Scheduled | null>(null);
  const list = useQuery({
    ...trpc.challenge.scheduledPublishes.queryOptions({ limit: 100 }),
    // A pending one turns executed within a second of its time, by whichever api runs it.
    refetchInterval: 5000,
  });
  const cancel = useMutation(
    trpc.challenge.cancelScheduledPublish.mutationOptions({
      onSuccess: async () => {
        setCancelling(null);
        await queryClient.invalidateQueries(trpc.challenge.pathFilter());
      },
    }),
  );
  return (
    <Card title="Scheduled publishes">
      <p className="mb-3 text-sm text-slate-500">
        Schedule the draft from{' '}
        <Link className="text-indigo-600 underline" href="/challenges">
          Challenges
        </Link>{' '}
        (Schedule for later…). What is published is the draft as it was when scheduled.
      </p>
      {list.isPending && <Loading />}
      <ErrorText error={list.error} />
      {list.data && (
        <Table>
          <thead>
            <tr>
              <Th>Publish at</Th>
              <Th>Status</Th>
              <Th>Scheduled by</Th>
              <Th>Note</Th>
              <Th>Version</Th>
              {canEdit && <Th pinned>Actions</Th>}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {list.data.length === 0 && (
              <EmptyRow colSpan={canEdit ? 6 : 5}>Nothing scheduled.</EmptyRow>
            )}
            {list.data.map((row) => (
              <tr key={row.id} data-scheduled={row.id}>
                <Td>
                  <Time at={String(row.publishAt)} />
                </Td>
                <Td>
                  <Badge tone={TONES[row.status]}>{row.status}</Badge>
                </Td>
                <Td>{row.createdBy}</Td>
                <Td>{row.note ?? ''}</Td>
                <Td>{row.version ?? ''}</Td>
                {canEdit && (
                  <Td pinned>
                    {row.status === 'pending' && (
                      <Button variant="secondary" onClick={() => setCancelling(row)}>
                        Cancel
                      </Button>
                    )}
                  </Td>
                )}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <ConfirmDialog
        open={cancelling !== null}
        title="Cancel this scheduled publish?"
        confirmLabel="Cancel the publish"
        busy={cancel.isPending}
        error={cancel.error ? describeError(cancel.error).message : null}
        onConfirm={() => cancelling && cancel.mutate({ id: cancelling.id })}
        onCancel={() => {
          setCancelling(null);
          cancel.reset();
        }}
      >
        It will not be published. The draft itself is not changed.
      </ConfirmDialog>
    </Card>
  );
}
