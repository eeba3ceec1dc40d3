'use client';
import { Button } from '@/components/ui/button';
import { describeError } from '@/lib/trpc';
import { ContentDiff } from './content-diff';

/**
 * A save refused because someone else saved the draft since: who and when, what differs between
 * their draft and these edits, and the two ways out — take theirs, or overwrite on purpose.
 */
export function ConflictPanel({
  error,
  theirs,
  mine,
  busy,
  onReload,
  onOverwrite,
}: {
  error: unknown;
  theirs: unknown;
  mine: unknown;
  busy: boolean;
  onReload: () => void;
  onOverwrite: () => void;
}) {
  return (
    <section
      role="alert"
      aria-label="Save conflict"
      className="mb-3 space-y-3 rounded-md bg-amber-50 px-3 py-3 text-sm text-amber-900 ring-1 ring-amber-200"
    >
      <p className="font-medium">{describeError(error).message}</p>
      <ContentDiff before={theirs} after={mine} beforeLabel="theirs" afterLabel="mine" />
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" onClick={onReload}>
          Reload theirs (drop mine)
        </Button>
        <Button variant="danger" busy={busy} onClick={onOverwrite}>
          Overwrite with mine
        </Button>
      </div>
    </section>
  );
}
