'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useCan } from '@/components/session';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { ErrorText, Loading } from '@/components/ui/feedback';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { downloadJson } from '@/lib/definitions';
import { describeError, type RouterOutputs, useTRPC } from '@/lib/trpc';

/** Published versions, newest first; rollback re-publishes an old one as a new version. */
export function VersionHistory({
  onRolledBack,
}: {
  onRolledBack: (result: RouterOutputs['challenge']['rollback']) => void;
}) {
  const canEdit = useCan('editor');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [target, setTarget] = useState<number | null>(null);
  // The dialog keeps its title while it closes (target is already null by then).
  const shown = useRef<number | null>(null);
  if (target !== null) shown.current = target;
  const versions = useQuery(trpc.challenge.versions.queryOptions({ limit: 50 }));
  const rollback = useMutation(
    trpc.challenge.rollback.mutationOptions({
      onSuccess: async (result) => {
        setTarget(null);
        await queryClient.invalidateQueries();
        onRolledBack(result);
      },
    }),
  );
  const exportVersion = useMutation({
    mutationFn: (version: number) =>
      queryClient.fetchQuery(trpc.challenge.export.queryOptions({ version })),
    onSuccess: (file) => downloadJson(`challenges.v${file.version}.json`, file.content),
  });

  if (versions.isPending) return <Loading />;
  if (versions.isError) return <ErrorText error={versions.error} />;
  return (
    <>
      <ErrorText error={exportVersion.error} />
      <Table>
        <thead>
          <tr>
            <Th>Version</Th>
            <Th>Published</Th>
            <Th>By</Th>
            <Th>Note</Th>
            <Th pinned className="text-right">
              Actions
            </Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {versions.data.length === 0 && <EmptyRow colSpan={5}>Nothing published yet.</EmptyRow>}
          {versions.data.map((v) => (
            <tr key={v.version}>
              <Td>
                <span className="font-semibold">v{v.version}</span>{' '}
                {v.live && <Badge tone="green">live</Badge>}
              </Td>
              <Td className="whitespace-nowrap">
                <Time at={v.createdAt} />
              </Td>
              <Td>{v.createdBy}</Td>
              <Td className="max-w-xs truncate">{v.note ?? ''}</Td>
              <Td pinned className="whitespace-nowrap text-right">
                <Button variant="ghost" size="sm" onClick={() => exportVersion.mutate(v.version)}>
                  Export
                </Button>
                {canEdit && !v.live && (
                  <Button variant="secondary" size="sm" onClick={() => setTarget(v.version)}>
                    Roll back
                  </Button>
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <ConfirmDialog
        open={target !== null}
        title={`Roll back to version ${shown.current}?`}
        confirmLabel="Roll back"
        busy={rollback.isPending}
        error={rollback.error ? describeError(rollback.error).message : null}
        onConfirm={() => target !== null && rollback.mutate({ version: target })}
        onCancel={() => {
          setTarget(null);
          rollback.reset();
        }}
      >
        Its content is published again as a new version; every process serves it within 2 s.
      </ConfirmDialog>
    </>
  );
}
