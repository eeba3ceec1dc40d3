import {
  CoreError,
  type DefinitionsDiff,
  definitionProblems,
  diffDefinitions,
} from '@challenges/core';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { decodeDraftContent, decodeInput, tryParse, ZActor } from './definitions.input.ts';
import { guardedDraftWrite, revisionOf, ZDraftRevision } from './draft-guard.ts';
import { liveDefinitions } from './live-definitions.ts';

export interface DraftView {
  content: unknown;
  /** null when nobody saved a draft yet (the content is then the live version's). */
  updatedAt: Date | null;
  updatedBy: string | null;
  /** What a draft write sends back as `draftRevision` (null while nobody saved a draft). */
  revision: string | null;
  /** The live version the draft was saved or published against. */
  baseVersion: number | null;
  liveVersion: number | null;
  /** Validation problems of the content, each naming its challenge and goal; empty = valid. */
  problems: string[];
}

export async function getDraft(ctx: AppContext): Promise<DraftView> {
  const { repository } = ctx.definitionStore;
  const [draft, liveVersion] = await Promise.all([
    repository.getDraft(),
    repository.getLiveVersion(),
  ]);
  if (draft) {
    const problems = definitionProblems(draft.content);
    return { ...draft, revision: revisionOf(draft), liveVersion, problems };
  }
  const live = await repository.getLive();
  const content = live?.content ?? { challenges: [] };
  return {
    content,
    updatedAt: null,
    updatedBy: null,
    revision: null,
    baseVersion: live?.version ?? null,
    liveVersion,
    problems: definitionProblems(content),
  };
}

const ZUpdateDraftInput = z.object({
  content: z.unknown(),
  actor: ZActor,
  draftRevision: ZDraftRevision,
});

export interface SavedDraft {
  updatedAt: Date;
  revision: string;
  baseVersion: number | null;
  valid: boolean;
  problems: string[];
}

/**
 * Saves the draft even when it is invalid (work in progress) and says what is wrong with it.
 * With `draftRevision`, a draft saved by someone else since is refused (CONFLICT).
 */
export async function updateDraft(
  ctx: AppContext,
  input: { content: unknown; actor: string; draftRevision?: Date | string | null },
): Promise<SavedDraft> {
  const { content: raw, actor, draftRevision } = decodeInput(ZUpdateDraftInput, input);
  const content = decodeDraftContent(raw);
  return saveChecked(ctx, { content, actor, expectedUpdatedAt: draftRevision });
}

/** Stores content the caller already decoded, audited with its validity. */
export async function saveChecked(
  ctx: AppContext,
  input: {
    content: Record<string, unknown>;
    actor: string;
    expectedUpdatedAt: Date | null | undefined;
    action?: 'update_draft' | 'import';
    summary?: Record<string, unknown>;
  },
): Promise<SavedDraft> {
  const { content, actor, expectedUpdatedAt, action } = input;
  const problems = definitionProblems(content);
  const saved = await guardedDraftWrite(() =>
    ctx.definitionStore.repository.saveDraft({
      content,
      actor,
      action,
      expectedUpdatedAt,
      summary: { valid: problems.length === 0, problems: problems.length, ...input.summary },
    }),
  );
  return {
    updatedAt: saved.updatedAt,
    revision: saved.updatedAt.toISOString(),
    baseVersion: saved.baseVersion,
    valid: problems.length === 0,
    problems,
  };
}

const ZResetInput = z.object({ actor: ZActor, draftRevision: ZDraftRevision });

/** Replaces the draft with the live version's content (the draft's edits are dropped). */
export async function resetDraftToLive(
  ctx: AppContext,
  input: { actor: string; draftRevision?: Date | string | null },
): Promise<SavedDraft> {
  const { actor, draftRevision } = decodeInput(ZResetInput, input);
  const live = await ctx.definitionStore.repository.getLive();
  if (!live) throw new CoreError('NOT_FOUND', 'no definitions are published yet');
  return saveChecked(ctx, {
    content: live.content as Record<string, unknown>,
    actor,
    expectedUpdatedAt: draftRevision,
    summary: { resetTo: live.version },
  });
}

export async function validateDraft(
  ctx: AppContext,
): Promise<{ valid: boolean; problems: string[] }> {
  const { problems } = await getDraft(ctx);
  return { valid: problems.length === 0, problems };
}

export interface DraftDiff {
  liveVersion: number | null;
  valid: boolean;
  problems: string[];
  /** null while the draft is invalid: only valid definitions can be compared field by field. */
  diff: DefinitionsDiff | null;
}

/** What publishing the draft would change, against the live version. */
export async function diffDraft(ctx: AppContext): Promise<DraftDiff> {
  const draft = await getDraft(ctx);
  const candidate = draft.problems.length === 0 ? tryParse(draft.content) : null;
  const live = await liveDefinitions(ctx);
  return {
    liveVersion: live?.version ?? null,
    valid: candidate !== null,
    problems: draft.problems,
    diff: candidate ? diffDefinitions(live?.definitions ?? null, candidate) : null,
  };
}
