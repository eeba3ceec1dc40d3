import {
  DEFINITION_AUDIT_ACTIONS,
  type DefinitionAuditEntry,
  type DefinitionVersionInfo,
} from '@challenges/db';
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

const ZAuditInput = z
  .object({
    limit: ZLimit,
    before: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    action: z.enum(DEFINITION_AUDIT_ACTIONS).optional(),
  })
  .default({ limit: 50 });

/**
 * Who published, rolled back, imported or edited the draft, newest first; `before` (the last id
 * of the previous page) pages back, `action` keeps one kind.
 */
export async function listAudit(
  ctx: AppContext,
  input: { limit?: number; before?: number; action?: string } = {},
): Promise<DefinitionAuditEntry[]> {
  const { limit, before, action } = decodeInput(ZAuditInput, input);
  return ctx.definitionStore.repository.listAudit(limit, { before, action });
}
