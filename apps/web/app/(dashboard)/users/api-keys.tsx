'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog, Dialog } from '@/components/ui/dialog';
import { ErrorText, Loading } from '@/components/ui/feedback';
import { Input } from '@/components/ui/input';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { describeError, useTRPC } from '@/lib/trpc';

/** Ingest API keys: the plaintext exists only in the create answer, so it is shown once. */
export function ApiKeys() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const keys = useQuery(trpc.apiKey.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries(trpc.apiKey.list.pathFilter());
  const create = useMutation(
    trpc.apiKey.create.mutationOptions({
      onSuccess: async () => {
        setName('');
        await refresh();
      },
    }),
  );
  const revoke = useMutation(
    trpc.apiKey.revoke.mutationOptions({
      onSuccess: async () => {
        setRevoking(null);
        await refresh();
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name });
  };
  return (
    <Card title="Ingest API keys">
      <form onSubmit={submit} className="mb-4 flex max-w-lg items-end gap-2">
        <Input
          className="flex-1"
          label="New key name"
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <Button type="submit" busy={create.isPending}>
          Create key
        </Button>
      </form>
      <ErrorText error={create.error} />
      {keys.isPending && <Loading />}
      {keys.isError && <ErrorText error={keys.error} />}
      {keys.data && (
        <Table>
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Prefix</Th>
              <Th>Created</Th>
              <Th>State</Th>
              <Th pinned className="text-right">
                Actions
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {keys.data.length === 0 && <EmptyRow colSpan={5}>No keys yet.</EmptyRow>}
            {keys.data.map((key) => (
              <tr key={key.id}>
                <Td>{key.name}</Td>
                <Td className="font-mono text-xs">{key.prefix}…</Td>
                <Td className="whitespace-nowrap">
                  <Time at={key.createdAt} /> by {key.createdBy}
                </Td>
                <Td>
                  {key.revokedAt ? (
                    <Badge tone="red">revoked</Badge>
                  ) : (
                    <Badge tone="green">active</Badge>
                  )}
                </Td>
                <Td pinned className="text-right">
                  {!key.revokedAt && (
                    <Button
                      variant="ghost"
                      size="sm"
                      onClick={() => setRevoking({ id: key.id, name: key.name })}
                    >
                      Revoke
                    </Button>
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <Dialog
        open={create.data !== undefined}
        title="Copy the new key now"
        onClose={() => create.reset()}
      >
        <p className="mb-2">It is shown only this once; the service keeps only a hash.</p>
        <code
          data-testid="new-api-key"
          className="block break-all rounded bg-slate-100 p-2 font-mono text-xs select-all"
        >
          {create.data?.key}
        </code>
      </Dialog>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke the key "${revoking?.name}"?`}
        confirmLabel="Revoke"
        busy={revoke.isPending}
        error={revoke.error ? describeError(revoke.error).message : null}
        onConfirm={() => revoking && revoke.mutate({ id: revoking.id })}
        onCancel={() => {
          setRevoking(null);
          revoke.reset();
        }}
      >
        Game servers using it get 401 from the next request on.
      </ConfirmDialog>
    </Card>
  );
}
