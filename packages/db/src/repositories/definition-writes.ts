import { createHash } from 'node:crypto';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type {
  DefinitionAuditAction,
  DefinitionDraft,
  PublishedVersion,
} from './definition.types.ts';

/**
 * Serialises every write that creates a version, so "max + 1" never races and the first-start
 * import runs once when several processes start together on an empty database.
 */
const DEFINITIONS_LOCK_KEY = 72707380;

/** As the statement timeout: a publish waits for the lock behind other publishes. */
const TRANSACTION_TIMEOUT_MS = 30_000;

export type Tx = Prisma.TransactionClient;

export const DRAFT_SELECT = {
  content: true,
  updatedAt: true,
  updatedBy: true,
  baseVersion: true,
} as const;

export function contentChecksum(json: string): string {
  return createHash('sha256').update(json).digest('hex');
}

/** The JSON text as Prisma's Json input: parsed back, so what is stored is what was hashed. */
export const jsonValue = (json: string) => JSON.parse(json) as Prisma.InputJsonValue;

export function inDefinitionsTransaction<T>(
  prisma: PrismaClient,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${DEFINITIONS_LOCK_KEY}::bigint)`;
      return fn(tx);
    },
    { maxWait: TRANSACTION_TIMEOUT_MS, timeout: TRANSACTION_TIMEOUT_MS },
  );
}

export async function audit(
  tx: Tx,
  entry: { actor: string; action: DefinitionAuditAction; version: number | null; summary: unknown },
): Promise<void> {
  await tx.definitionAudit.create({
    data: {
      actor: entry.actor,
      action: entry.action,
      version: entry.version,
      summary: jsonValue(JSON.stringify(entry.summary ?? {})),
    },
    select: { id: true },
  });
}

export function upsertDraft(
  tx: Tx,
  draft: { json: string; actor: string; baseVersion: number | null },
): Promise<DefinitionDraft> {
  const data = {
    content: jsonValue(draft.json),
    updatedAt: new Date(),
    updatedBy: draft.actor,
    baseVersion: draft.baseVersion,
  };
  return tx.definitionDraft.upsert({
    where: { id: 1 },
    create: { id: 1, ...data },
    update: data,
    select: DRAFT_SELECT,
  });
}

/** Inserts the next version and makes it live; the caller holds the definitions lock. */
export async function insertLiveVersion(
  tx: Tx,
  input: { json: string; actor: string; note: string | null },
): Promise<PublishedVersion> {
  const checksum = contentChecksum(input.json);
  const latest = await tx.definitionVersion.aggregate({ _max: { version: true } });
  const { version, createdAt } = await tx.definitionVersion.create({
    data: {
      version: (latest._max.version ?? 0) + 1,
      content: jsonValue(input.json),
      checksum,
      createdBy: input.actor,
      note: input.note,
    },
    select: { version: true, createdAt: true },
  });
  const state = { liveVersion: version, updatedAt: new Date() };
  await tx.definitionState.upsert({
    where: { id: 1 },
    create: { id: 1, ...state },
    update: state,
    select: { id: true },
  });
  return { version, createdAt, checksum };
}
