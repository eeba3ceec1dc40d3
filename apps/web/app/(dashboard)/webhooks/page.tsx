'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { PageHeader } from '@/components/page-header';
import { useCan } from '@/components/session';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorText, Loading } from '@/components/ui/feedback';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import { useTRPC } from '@/lib/trpc';
import { Deliveries } from './deliveries';
import { type EventType, type WebhookFields, WebhookForm } from './webhook-form';

const BLANK: WebhookFields = { name: '', url: '', events: ['goal.completed'], enabled: true };

export default function WebhooksPage() {
  const isAdmin = useCan('admin');
  const canRetry = useCan('editor');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<WebhookFields | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const webhooks = useQuery(trpc.webhook.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries(trpc.webhook.list.pathFilter());
  const remove = useMutation(trpc.webhook.delete.mutationOptions({ onSuccess: refresh }));
  const rotate = useMutation(
    trpc.webhook.rotateSecret.mutationOptions({ onSuccess: ({ secret: s }) => setSecret(s) }),
  );
  const items = webhooks.data ?? [];

  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Tell analytics and CRM systems when goals are completed, claimed or rotated. Requests are signed with the webhook's secret (X-Signature) and retried until delivered."
      />
      <div className="space-y-4">
        {secret && (
          <div role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
            <p>Signing secret — copy it now, it is not shown again:</p>
            <code className="break-all font-mono" data-testid="webhook-secret">
              {secret}
            </code>
          </div>
        )}
        {editing ? (
          <WebhookForm
            key={editing.id ?? 'new'}
            initial={editing}
            onCancel={() => setEditing(null)}
            onSaved={async (s) => {
              setEditing(null);
              if (s) setSecret(s);
              await refresh();
            }}
          />
        ) : null}
        <Card
          title="Webhooks"
          actions={
            isAdmin &&
            !editing && (
              <Button
                onClick={() => {
                  setSecret(null);
                  setEditing(BLANK);
                }}
              >
                New webhook
              </Button>
            )
          }
        >
          <ErrorText error={remove.error ?? rotate.error} />
          {webhooks.isPending ? (
            <Loading />
          ) : webhooks.isError ? (
            <ErrorText error={webhooks.error} />
          ) : (
            <Table>
              <thead>
                <tr>
                  <Th>Name</Th>
                  <Th>URL</Th>
                  <Th>Events</Th>
                  <Th pinned>State</Th>
                  {isAdmin && <Th>Actions</Th>}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {items.length === 0 && (
                  <EmptyRow colSpan={isAdmin ? 5 : 4}>No webhooks yet.</EmptyRow>
                )}
                {items.map((w) => (
                  <tr key={w.id}>
                    <Td className="font-medium">{w.name}</Td>
                    <Td className="max-w-xs break-all text-xs">{w.url}</Td>
                    <Td className="text-xs">{w.events.join(', ')}</Td>
                    <Td pinned>
                      <Badge tone={w.enabled ? 'green' : 'grey'}>
                        {w.enabled ? 'enabled' : 'disabled'}
                      </Badge>
                    </Td>
                    {isAdmin && (
                      <Td>
                        <div className="flex flex-wrap gap-1">
                          <Button
                            size="sm"
                            variant="secondary"
                            onClick={() => setEditing({ ...w, events: w.events as EventType[] })}
                          >
                            Edit
                          </Button>
                          <Button
                            size="sm"
                            variant="secondary"
                            onClick={() => rotate.mutate({ id: w.id })}
                          >
                            New secret
                          </Button>
                          <Button
                            size="sm"
                            variant="danger"
                            onClick={() => {
                              if (window.confirm(`Delete webhook ${w.name}?`))
                                remove.mutate({ id: w.id });
                            }}
                          >
                            Delete
                          </Button>
                        </div>
                      </Td>
                    )}
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
        <Deliveries canRetry={canRetry} />
      </div>
    </>
  );
}
