'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { describeError, useRefreshDraftOnConflict, useTRPC } from '@/lib/trpc';

/** A local `datetime-local` value as the RFC 3339 instant it means in this browser's zone. */
export function localInputToIso(value: string): string | null {
  const time = new Date(value);
  return value === '' || Number.isNaN(time.getTime()) ? null : time.toISOString();
}

/**
 * Schedules the saved draft, as it is now, to publish at a time (challenge.schedulePublish);
 * the Schedule page lists and cancels scheduled publishes.
 */
export function SchedulePublishButton({
  disabled,
  draftRevision,
  onScheduled,
}: {
  disabled: boolean;
  draftRevision: string | null;
  onScheduled: (publishAt: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refreshOnConflict = useRefreshDraftOnConflict();
  const [open, setOpen] = useState(false);
  const [when, setWhen] = useState('');
  const [note, setNote] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const schedule = useMutation(
    trpc.challenge.schedulePublish.mutationOptions({
      onSuccess: async (result) => {
        setOpen(false);
        setWhen('');
        setNote('');
        await queryClient.invalidateQueries(trpc.challenge.pathFilter());
        onScheduled(String(result.publishAt));
      },
      onError: refreshOnConflict,
    }),
  );
  const submit = () => {
    const publishAt = localInputToIso(when);
    setInvalid(publishAt === null ? 'Choose a date and time.' : null);
    if (publishAt !== null) {
      schedule.mutate({ publishAt, note: note.trim() || undefined, draftRevision });
    }
  };
  return (
    <>
      <Button variant="secondary" disabled={disabled} onClick={() => setOpen(true)}>
        Schedule for later…
      </Button>
      <ConfirmDialog
        open={open}
        title="Schedule the draft to publish"
        confirmLabel="Schedule"
        tone="primary"
        busy={schedule.isPending}
        error={invalid ?? (schedule.error ? describeError(schedule.error).message : null)}
        onConfirm={submit}
        onCancel={() => {
          setOpen(false);
          setInvalid(null);
          schedule.reset();
        }}
      >
        <p className="mb-3">
          The draft as it is now is published at that time, even if it is edited later. See them on
          the{' '}
          <Link className="text-indigo-600 underline" href="/schedule">
            Schedule
          </Link>{' '}
          page.
        </p>
        <Input
          label="Publish at (your local time)"
          type="datetime-local"
          value={when}
          onChange={(e) => setWhen(e.target.value)}
        />
        <Input label="Note (optional)" value={note} onChange={(e) => setNote(e.target.value)} />
      </ConfirmDialog>
    </>
  );
}
