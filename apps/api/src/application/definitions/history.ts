import type { DefinitionAuditEntry, DefinitionVersionInfo } from '@challenges/db';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { decodeInput, ZLimit } from './definitions.input.ts';

const ZListInput = z.object({ limit: ZLimit }).default({ limit: 50 });

/** Published versions, newest first, without their content. */
export async function listVersions(
  ctx: AppContext,
  input: { limit?: number } = {},
): Promise<DefinitionVersionInfo[]> {
  const { limit } = decodeInput(ZListInput, input);
  return ctx.definitionStore.repository.listVersions(limit);
}

/** Who published, rolled back, imported or edited the draft, newest first. */
export async function listAudit(
  ctx: AppContext,
  input: { limit?: number } = {},
): Promise<DefinitionAuditEntry[]> {
  const { limit } = decodeInput(ZListInput, input);
  return ctx.definitionStore.repository.listAudit(limit);
}
