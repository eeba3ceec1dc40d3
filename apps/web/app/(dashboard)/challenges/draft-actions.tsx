'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { ErrorText } from '@/components/ui/feedback';
import { Input } from '@/components/ui/input';
import { downloadJson } from '@/lib/definitions';
import { plural } from '@/lib/plural';
import { describeError, trpc } from '@/lib/trpc';

/** Export of the live version (anyone) and import of a file into the draft (editor). */
export function ImportExport({ canEdit }: { canEdit: boolean }) {
  const queryClient = useQueryClient();
  const fileInput = useRef<HTMLInputElement>(null);
  const exportLive = useMutation({
    mutationFn: () => trpc.challenge.export.query({}),
    onSuccess: (file) => downloadJson(`challenges.v${file.version}.json`, file.content),
  });
  const importFile = useMutation({
    mutationFn: async (file: File) => trpc.challenge.import.mutate({ content: await file.text() }),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) importFile.mutate(file);
    event.target.value = '';
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
              busy={importFile.isPending}
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
      <ErrorText error={exportLive.error ?? importFile.error} />
      {importFile.data && (
        <p role="status" className="text-xs text-slate-500">
          Imported into the draft
          {importFile.data.valid
            ? ''
            : ` with ${plural(importFile.data.problems.length, 'problem')}`}
          .
        </p>
      )}
    </div>
  );
}

/** Publishes the saved draft after a confirmation with an optional note. */
export function PublishButton({
  disabled,
  onPublished,
}: {
  disabled: boolean;
  onPublished: (version: number) => void;
}) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const publish = useMutation({
    mutationFn: () => trpc.challenge.publish.mutate(note.trim() ? { note: note.trim() } : {}),
    onSuccess: async (result) => {
      setOpen(false);
      setNote('');
      await queryClient.invalidateQueries();
      onPublished(result.version);
    },
  });
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
        onConfirm={() => publish.mutate()}
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
