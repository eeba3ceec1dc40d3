import {
  CoreError,
  type DefinitionsFile,
  definitionProblems,
  parseDefinitions,
  serializeDefinitions,
} from '@challenges/core';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import {
  decodeDraftContent,
  decodeInput,
  tryParse,
  ZActor,
  ZVersion,
} from './definitions.input.ts';
import { saveChecked } from './draft.ts';
import { ZDraftRevision } from './draft-guard.ts';
import { type PublishResult, publishDefinitions } from './publish.ts';

const ZImportInput = z.object({
  content: z.unknown(),
  actor: ZActor,
  publish: z.boolean().default(false),
  draftRevision: ZDraftRevision,
});

export interface ImportResult {
  valid: boolean;
  problems: string[];
  /** Set when `publish` was asked for. */
  published: PublishResult | null;
}

/**
 * Imports a file (the original's format included) into the draft. With `publish`, it is
 * all-or-nothing: invalid content throws INVALID_DEFINITIONS and neither the draft nor the live
 * version changes.
 */
export async function importDefinitions(
  ctx: AppContext,
  input: {
    content: unknown;
    actor: string;
    publish?: boolean;
    draftRevision?: Date | string | null;
  },
): Promise<ImportResult> {
  const { content: raw, actor, publish, draftRevision } = decodeInput(ZImportInput, input);
  const content = decodeDraftContent(raw);
  const definitions = publish ? parseDefinitions(content) : null;
  const { problems } = await saveChecked(ctx, {
    content,
    actor,
    action: 'import',
    expectedUpdatedAt: draftRevision,
  });
  const published = definitions
    ? await publishDefinitions(ctx, { definitions, actor, note: 'imported' })
    : null;
  return { valid: problems.length === 0, problems, published };
}

const ZPreviewInput = z.object({ content: z.unknown() });

/**
 * A file as importing it would store it (the original's format converted), with its problems,
 * so the editor can compare it with the draft before replacing anything.
 */
export function previewImport(input: { content: unknown }): {
  content: Record<string, unknown>;
  valid: boolean;
  problems: string[];
} {
  const content = decodeDraftContent(decodeInput(ZPreviewInput, input).content);
  const problems = definitionProblems(content);
  return { content, valid: problems.length === 0, problems };
}

const ZExportInput = z.object({ version: ZVersion.optional() }).default({});

/** A published version (default: the live one) as a definitions file. */
export async function exportDefinitions(
  ctx: AppContext,
  input: { version?: number } = {},
): Promise<{ version: number; content: DefinitionsFile }> {
  const { version } = decodeInput(ZExportInput, input);
  const { repository } = ctx.definitionStore;
  const wanted = version ?? (await repository.getLiveVersion());
  const stored = wanted === null ? null : await repository.getVersion(wanted);
  if (!stored) {
    throw new CoreError(
      'NOT_FOUND',
      version === undefined
        ? 'no definitions are published yet'
        : `definitions version ${version} does not exist`,
    );
  }
  // jsonb keeps no key order; re-serialising gives the file back in the canonical order.
  const parsed = tryParse(stored.content);
  const content = parsed ? serializeDefinitions(parsed) : (stored.content as DefinitionsFile);
  return { version: stored.version, content };
}
