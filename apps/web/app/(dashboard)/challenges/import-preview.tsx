'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ConfirmDialog } from '@/components/ui/dialog';
import { plural } from '@/lib/plural';
import { describeError, type RouterOutputs, useRefreshDraftOnConflict, useTRPC } from '@/lib/trpc';
import { ContentDiff } from './content-diff';

export interface PendingImport {
  name: string;
  text: string;
  preview: RouterOutputs['challenge']['previewImport'];
}

/**
 * Shows what importing a file would change in the draft and replaces the draft only once the
 * editor confirms, against the draft revision the comparison was made with.
 */
export function ImportPreview({
  pending,
  draftContent,
  draftRevision,
  unsaved,
  onDone,
}: {
  pending: PendingImport | null;
  draftContent: unknown;
  draftRevision: string | null;
  unsaved: boolean;
  onDone: (imported: boolean) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refreshOnConflict = useRefreshDraftOnConflict();
  const importFile = useMutation(
    trpc.challenge.import.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries();
        onDone(true);
      },
      // Someone saved the draft since: show theirs, so a retry is a decision on what is there now.
      onError: refreshOnConflict,
    }),
  );
  const problems = pending?.preview.problems.length ?? 0;
  return (
    <ConfirmDialog
      open={pending !== null}
      title={`Replace the draft with ${pending?.name ?? 'the file'}?`}
      confirmLabel="Replace the draft"
      busy={importFile.isPending}
      error={importFile.error ? describeError(importFile.error).message : null}
      onConfirm={() => pending && importFile.mutate({ content: pending.text, draftRevision })}
      // The native dialog also reports a close after a confirmed import (pending is null by then).
      onCancel={() => {
        importFile.reset();
        if (pending) onDone(false);
      }}
    >
      <p className="mb-3">
        The file replaces the whole draft{unsaved ? ', and your unsaved edits are dropped' : ''}.
        {problems > 0 && ` It has ${plural(problems, 'problem')} to fix before publishing.`}
      </p>
      {pending && (
        <ContentDiff
          before={draftContent}
          after={pending.preview.content}
          beforeLabel="current draft"
          afterLabel="file"
        />
      )}
    </ConfirmDialog>
  );
}
