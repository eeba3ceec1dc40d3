import { type DefinitionsDiff, definitionProblems, diffDefinitions } from '@challenges/core';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { decodeDraftContent, decodeInput, tryParse, ZActor } from './definitions.input.ts';
import { liveDefinitions } from './live-definitions.ts';

export interface DraftView {
  content: unknown;
  /** null when nobody saved a draft yet (the content is then the live version's). */
  updatedAt: Date | null;
  updatedBy: string | null;
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
  if (draft) return { ...draft, liveVersion, problems: definitionProblems(draft.content) };
  const live = await repository.getLive();
  const content = live?.content ?? { challenges: [] };
  return {
    content,
    updatedAt: null,
    updatedBy: null,
    baseVersion: live?.version ?? null,
    liveVersion,
    problems: definitionProblems(content),
  };
}

const ZUpdateDraftInput = z.object({ content: z.unknown(), actor: ZActor });

/** Saves the draft even when it is invalid (work in progress) and says what is wrong with it. */
export async function updateDraft(
  ctx: AppContext,
  input: { content: unknown; actor: string },
): Promise<{ updatedAt: Date; baseVersion: number | null; valid: boolean; problems: string[] }> {
  const { content: raw, actor } = decodeInput(ZUpdateDraftInput, input);
  const content = decodeDraftContent(raw);
  const problems = definitionProblems(content);
  const saved = await ctx.definitionStore.repository.saveDraft({
    content,
    actor,
    summary: { valid: problems.length === 0, problems: problems.length },
  });
  return {
    updatedAt: saved.updatedAt,
    baseVersion: saved.baseVersion,
    valid: problems.length === 0,
    problems,
  };
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
