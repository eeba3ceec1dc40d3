import { CoreError } from '@challenges/core';
import { DraftConflictError } from '@challenges/db';
import { z } from 'zod';

/**
 * The draft revision the caller edited (`revision` of the draft it read: its updatedAt to the
 * millisecond, which every save moves forward; null: the caller saw no saved draft). Every draft
 * write sends it so that it cannot silently replace a draft someone else saved since. Optional,
 * so scripts that mean "replace whatever is there" keep working.
 */
export const ZDraftRevision = z.coerce.date().nullable().optional();

/** updatedAt itself goes out at whole seconds (formatTimestamp); the revision keeps the ms. */
export function revisionOf(draft: { updatedAt: Date } | null): string | null {
  return draft ? draft.updatedAt.toISOString() : null;
}

export function conflictError(current: { updatedAt: Date; updatedBy: string } | null): CoreError {
  const what = current
    ? `changed by ${current.updatedBy} at ${current.updatedAt.toISOString()}`
    : 'reset since you loaded it';
  return new CoreError(
    'CONFLICT',
    `The draft was ${what}; reload it, or save again to overwrite their changes.`,
    current ? [current.updatedBy, current.updatedAt.toISOString()] : [],
  );
}

/** Runs a draft write, turning the repository's stale-base refusal into CONFLICT. */
export async function guardedDraftWrite<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof DraftConflictError) throw conflictError(error.current);
    throw error;
  }
}

/** The same check outside a write (publish reads the draft it was shown). */
export function assertSameDraft(
  current: { updatedAt: Date; updatedBy: string } | null,
  expected: Date | null | undefined,
): void {
  if (expected === undefined) return;
  if ((current?.updatedAt.getTime() ?? null) !== (expected?.getTime() ?? null)) {
    throw conflictError(current);
  }
}
