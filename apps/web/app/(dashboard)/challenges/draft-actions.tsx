'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { ErrorText } from '@/components/ui/feedback';
import { Input } from '@/components/ui/input';
import { downloadJson } from '@/lib/definitions';
import { describeError, useRefreshDraftOnConflict, useTRPC } from '@/lib/trpc';
import { ImportPreview, type PendingImport } from './import-preview';

/**
 * Export of the live version (anyone) and import of a file into the draft (editor), which is
 * previewed against the draft first.
 */
export function ImportExport({
  canEdit,
  draftContent,
  draftRevision,
  unsaved,
  onImported,
}: {
  canEdit: boolean;
  draftContent: unknown;
  draftRevision: string | null;
  unsaved: boolean;
  onImported: () => void;
}) {
  const fileInput = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState<PendingImport | null>(null);
  const [imported, setImported] = useState(false);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const exportLive = useMutation({
    mutationFn: () => queryClient.fetchQuery(trpc.challenge.export.queryOptions({})),
    onSuccess: (file) => downloadJson(`challenges.v${file.version}.json`, file.content),
  });
  const preview = useMutation(trpc.challenge.previewImport.mutationOptions());
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    const text = await file.text();
    preview.mutate(
      { content: text },
      {
        onSuccess: (result) => {
          setImported(false);
          setPending({ name: file.name, text, preview: result });
        },
      },
    );
  };
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        <Button variant="secondary" busy={exportLive.isPending} onClick={() => exportLive.mutate()}>
          Export live
        </Button>
        {canEdit && (
          <>
            <Button
              variant="secondary"
              busy={preview.isPending}
              onClick={() => fileInput.current?.click()}
            >
              Import file…
            </Button>
            <input
              ref={fileInput}
              type="file"
              accept="application/json,.json"
              className="hidden"
              aria-label="Definitions file to import"
              onChange={onFile}
            />
          </>
        )}
      </div>
      <ErrorText error={exportLive.error ?? preview.error} />
      {imported && (
        <p role="status" className="text-xs text-slate-500">
          Imported into the draft.
        </p>
      )}
      <ImportPreview
        pending={pending}
        draftContent={draftContent}
        draftRevision={draftRevision}
        unsaved={unsaved}
        onDone={(done) => {
          setPending(null);
          setImported(done);
          if (done) onImported();
        }}
      />
    </div>
  );
}

/**
 * Publishes the saved draft after a confirmation with an optional note, only if it is still the
 * revision this editor saw.
 */
export function PublishButton({
  disabled,
  draftRevision,
  onPublished,
}: {
  disabled: boolean;
  draftRevision: string | null;
  onPublished: (version: number) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refreshOnConflict = useRefreshDraftOnConflict();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const publish = useMutation(
    trpc.challenge.publish.mutationOptions({
      onSuccess: async (result) => {
        setOpen(false);
        setNote('');
        await queryClient.invalidateQueries();
        onPublished(result.version);
      },
      // Someone saved the draft since: show theirs, so a retry is a decision on what is there now.
      onError: refreshOnConflict,
    }),
  );
  return (
    <>
      <Button disabled={disabled} onClick={() => setOpen(true)}>
        Publish
      </Button>
      <ConfirmDialog
        open={open}
        title="Publish the draft?"
        confirmLabel="Publish"
        tone="primary"
        busy={publish.isPending}
        error={publish.error ? describeError(publish.error).message : null}
        onConfirm={() => publish.mutate({ note: note.trim() || undefined, draftRevision })}
        onCancel={() => {
          setOpen(false);
          publish.reset();
        }}
      >
        <p className="mb-3">It becomes the live version for every player within 2 s.</p>
        <Input label="Note (optional)" value={note} onChange={(e) => setNote(e.target.value)} />
      </ConfirmDialog>
      {publish.error && !open && <ErrorText error={publish.error} />}
    </>
  );
}

/** Replaces the draft with the live version, after a confirmation. */
export function ResetDraftButton({
  liveVersion,
  draftRevision,
  onReset,
}: {
  liveVersion: number | null;
  draftRevision: string | null;
  onReset: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refreshOnConflict = useRefreshDraftOnConflict();
  const [open, setOpen] = useState(false);
  const reset = useMutation(
    trpc.challenge.resetDraft.mutationOptions({
      onSuccess: async () => {
        setOpen(false);
        await queryClient.invalidateQueries();
        onReset();
      },
      // Someone saved the draft since: show theirs, so a retry is a decision on what is there now.
      onError: refreshOnConflict,
    }),
  );
  return (
    <>
      <Button variant="secondary" disabled={liveVersion === null} onClick={() => setOpen(true)}>
        Reset to live
      </Button>
      <ConfirmDialog
        open={open}
        title="Reset the draft to live?"
        confirmLabel="Reset the draft"
        busy={reset.isPending}
        error={reset.error ? describeError(reset.error).message : null}
        onConfirm={() => reset.mutate({ draftRevision })}
        onCancel={() => {
          setOpen(false);
          reset.reset();
        }}
      >
        Every change in the draft, saved or not, is replaced with live version {liveVersion}.
      </ConfirmDialog>
    </>
  );
}
