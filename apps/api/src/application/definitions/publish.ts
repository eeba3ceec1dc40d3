import {
  CoreError,
  type Definitions,
  type DefinitionsDiffSummary,
  definitionProblems,
  diffDefinitions,
  parseDefinitions,
  serializeDefinitions,
  summarizeDiff,
} from '@challenges/core';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { decodeInput, ZActor, ZNote, ZVersion } from './definitions.input.ts';
import { assertSameDraft, ZDraftRevision } from './draft-guard.ts';
import { liveDefinitions } from './live-definitions.ts';

export interface PublishResult {
  version: number;
  createdAt: Date;
  checksum: string;
  /** What changed against the previous live version (also kept in the audit trail). */
  changes: DefinitionsDiffSummary;
}

/**
 * Stores validated definitions as the next live version, audited with what changed, then
 * signals every process. This process switches before returning, so the caller's next read
 * already sees the new version; the others follow within the 1 s poll at worst.
 */
export async function publishDefinitions(
  ctx: AppContext,
  input: { definitions: Definitions; actor: string; note?: string },
): Promise<PublishResult> {
  const { repository, source, announce } = ctx.definitionStore;
  const live = await liveDefinitions(ctx);
  const changes = summarizeDiff(diffDefinitions(live?.definitions ?? null, input.definitions));
  const published = await repository.publish({
    content: serializeDefinitions(input.definitions),
    actor: input.actor,
    note: input.note ?? null,
    summary: changes,
  });
  await announce(published.version);
  await source.refresh();
  return { ...published, changes };
}

const ZPublishInput = z.object({ actor: ZActor, note: ZNote, draftRevision: ZDraftRevision });

/**
 * Publishes the draft; an invalid draft publishes nothing and every problem is in `details`.
 * With `draftRevision`, a draft saved by someone else since is refused (CONFLICT): the caller
 * would publish content it never saw. A draft equal to live publishes nothing (NO_CHANGES), so
 * the version history only lists versions that changed something.
 */
export async function publishDraft(
  ctx: AppContext,
  input: { actor: string; note?: string; draftRevision?: Date | string | null },
): Promise<PublishResult> {
  const { actor, note, draftRevision } = decodeInput(ZPublishInput, input);
  const draft = await ctx.definitionStore.repository.getDraft();
  assertSameDraft(draft, draftRevision);
  if (!draft) throw new CoreError('NOT_FOUND', 'there is no draft to publish');
  const definitions = parseDefinitions(draft.content);
  const live = await liveDefinitions(ctx);
  if (live && diffDefinitions(live.definitions, definitions).identical) {
    throw new CoreError(
      'NO_CHANGES',
      `Nothing to publish: the draft is identical to live version ${live.version}.`,
    );
  }
  return publishDefinitions(ctx, { definitions, actor, note });
}

const ZRollbackInput = z.object({ version: ZVersion, actor: ZActor });

/**
 * Makes an earlier version live again, as a new version (history is never rewritten). The
 * draft follows when it held no unpublished edits, so the next publish does not bring back
 * what was just rolled back; edits in progress are kept.
 */
export async function rollback(
  ctx: AppContext,
  input: { version: number; actor: string },
): Promise<PublishResult & { from: number }> {
  const { version, actor } = decodeInput(ZRollbackInput, input);
  const { repository, source, announce } = ctx.definitionStore;
  const target = await repository.getVersion(version);
  if (!target) throw new CoreError('NOT_FOUND', `definitions version ${version} does not exist`);
  const problems = definitionProblems(target.content);
  if (problems.length > 0) {
    throw new CoreError(
      'INVALID_DEFINITIONS',
      `definitions version ${version} does not pass validation: ${problems[0]}`,
      problems,
    );
  }
  const definitions = parseDefinitions(target.content);
  const [live, draft] = await Promise.all([liveDefinitions(ctx), repository.getDraft()]);
  const draftDefinitions =
    draft && definitionProblems(draft.content).length === 0
      ? parseDefinitions(draft.content)
      : null;
  const draftUnchanged =
    !draft ||
    (draftDefinitions !== null &&
      diffDefinitions(live?.definitions ?? null, draftDefinitions).identical);
  const changes = summarizeDiff(diffDefinitions(live?.definitions ?? null, definitions));
  const published = await repository.rollback({
    version,
    actor,
    summary: changes,
    resetDraft: draftUnchanged,
  });
  if (!published) throw new CoreError('NOT_FOUND', `definitions version ${version} does not exist`);
  await announce(published.version);
  await source.refresh();
  return { ...published, changes, from: version };
}
