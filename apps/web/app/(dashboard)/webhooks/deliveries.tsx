'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorText, Loading } from '@/components/ui/feedback';
import { Select } from '@/components/ui/input';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { plural } from '@/lib/plural';
import { useTRPC } from '@/lib/trpc';

type Status = 'pending' | 'delivered' | 'failed';
const TONES = { pending: 'amber', delivered: 'green', failed: 'red' } as const;

/** Deliveries of every webhook, dead letters first; editors retry them. */
export function Deliveries({ canRetry }: { canRetry: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status | 'any'>('failed');
  const [notice, setNotice] = useState<string | null>(null);
  const deliveries = useQuery({
    ...trpc.webhook.deliveries.queryOptions({
      status: status === 'any' ? undefined : status,
      limit: 50,
    }),
    refetchInterval: 2000,
  });
  const retry = useMutation(
    trpc.webhook.retry.mutationOptions({
      onSuccess: async ({ retried }) => {
        setNotice(`${plural(retried, 'delivery', 'deliveries')} queued again.`);
        await queryClient.invalidateQueries(trpc.webhook.deliveries.pathFilter());
      },
    }),
  );
  const items = deliveries.data ?? [];
  const dead = items.filter((d) => d.status === 'failed').map((d) => d.id);

  return (
    <Card
      title="Deliveries"
      actions={
        canRetry && (
          <Button
            disabled={dead.length === 0}
            busy={retry.isPending}
            onClick={() => retry.mutate({ ids: dead })}
          >
            Retry failed ({dead.length})
          </Button>
        )
      }
    >
      <div className="space-y-3">
        <Select
          label="Status"
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as Status | 'any')}
        >
          <option value="failed">Failed (dead letters)</option>
          <option value="pending">Pending</option>
          <option value="delivered">Delivered</option>
          <option value="any">Any status</option>
        </Select>
        <ErrorText error={retry.error} />
        {notice && (
          <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-700">
            {notice}
          </p>
        )}
        {deliveries.isPending ? (
          <Loading />
        ) : deliveries.isError ? (
          <ErrorText error={deliveries.error} />
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>Event</Th>
                <Th pinned>Status</Th>
                <Th className="text-right">Attempts</Th>
                <Th>Last error</Th>
                <Th>Created</Th>
                <Th>Delivered</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.length === 0 && (
                <EmptyRow colSpan={6}>
                  {status === 'failed' ? 'No failed deliveries.' : 'No deliveries match.'}
                </EmptyRow>
              )}
              {items.map((d) => (
                <tr key={d.id}>
                  <Td>
                    <div className="font-medium">{d.eventType}</div>
                    <div className="break-all text-xs text-slate-500">{d.idempotencyKey}</div>
                  </Td>
                  <Td pinned>
                    <Badge tone={TONES[d.status]}>{d.status}</Badge>
                  </Td>
                  <Td className="text-right">{d.attempts}</Td>
                  <Td className="max-w-xs break-words text-xs">{d.lastError ?? '—'}</Td>
                  <Td>
                    <Time at={d.createdAt} />
                  </Td>
                  <Td>
                    <Time at={d.deliveredAt} />
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </div>
    </Card>
  );
}
