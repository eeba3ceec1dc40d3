import type { PrismaClient } from '../generated/prisma/client.ts';
import type {
  DefinitionAuditAction,
  DefinitionAuditEntry,
  DefinitionDraft,
  DefinitionVersion,
  DefinitionVersionInfo,
  LiveDefinitions,
  PublishedVersion,
  PublishInput,
  RollbackInput,
  SaveDraftInput,
} from './definition.types.ts';
import {
  audit,
  DRAFT_SELECT,
  inDefinitionsTransaction,
  insertLiveVersion,
  upsertDraft,
} from './definition-writes.ts';

export { contentChecksum } from './definition-writes.ts';

export interface DefinitionRepository {
  /** The live version and its content; null while nothing was ever published. */
  getLive(): Promise<LiveDefinitions | null>;
  /** One indexed single-row read: what every process polls each second. */
  getLiveVersion(): Promise<number | null>;
  getDraft(): Promise<DefinitionDraft | null>;
  saveDraft(input: SaveDraftInput): Promise<DefinitionDraft>;
  /** Inserts version max+1, makes it live, audits and points the draft at it, in one transaction. */
  publish(input: PublishInput): Promise<PublishedVersion>;
  /**
   * Publishes `content` as version 1 only when the store has no version yet (action `import`,
   * the draft starts from it); null when some process already did.
   */
  publishInitial(input: PublishInput): Promise<PublishedVersion | null>;
  /** Re-publishes an earlier version's content as a new version; null when it does not exist. */
  rollback(input: RollbackInput): Promise<PublishedVersion | null>;
  listVersions(limit: number): Promise<DefinitionVersionInfo[]>;
  getVersion(version: number): Promise<DefinitionVersion | null>;
  listAudit(limit: number): Promise<DefinitionAuditEntry[]>;
}

const VERSION_INFO_SELECT = {
  version: true,
  checksum: true,
  createdAt: true,
  createdBy: true,
  note: true,
} as const;

export function createDefinitionRepository(prisma: PrismaClient): DefinitionRepository {
  const getLiveVersion = async () => {
    const state = await prisma.definitionState.findUnique({
      where: { id: 1 },
      select: { liveVersion: true },
    });
    return state?.liveVersion ?? null;
  };

  return {
    async getLive() {
      const version = await getLiveVersion();
      if (version === null) return null;
      // Versions are immutable: the content of a version read a moment later is the same.
      const row = await prisma.definitionVersion.findUnique({
        where: { version },
        select: { version: true, content: true },
      });
      return row;
    },

    getLiveVersion,

    getDraft: () => prisma.definitionDraft.findUnique({ where: { id: 1 }, select: DRAFT_SELECT }),

    saveDraft: (input) =>
      inDefinitionsTransaction(prisma, async (tx) => {
        const state = await tx.definitionState.findUnique({
          where: { id: 1 },
          select: { liveVersion: true },
        });
        const baseVersion = state?.liveVersion ?? null;
        const draft = await upsertDraft(tx, {
          json: JSON.stringify(input.content),
          actor: input.actor,
          baseVersion,
        });
        await audit(tx, {
          actor: input.actor,
          action: input.action ?? 'update_draft',
          version: baseVersion,
          summary: input.summary,
        });
        return draft;
      }),

    publish: (input) =>
      inDefinitionsTransaction(prisma, async (tx) => {
        const json = JSON.stringify(input.content);
        const published = await insertLiveVersion(tx, {
          json,
          actor: input.actor,
          note: input.note ?? null,
        });
        await tx.definitionDraft.updateMany({
          where: { id: 1 },
          data: { baseVersion: published.version },
        });
        await audit(tx, {
          actor: input.actor,
          action: 'publish',
          version: published.version,
          summary: input.summary,
        });
        return published;
      }),

    publishInitial: (input) =>
      inDefinitionsTransaction(prisma, async (tx) => {
        if ((await tx.definitionVersion.count()) > 0) return null;
        const json = JSON.stringify(input.content);
        const published = await insertLiveVersion(tx, {
          json,
          actor: input.actor,
          note: input.note ?? null,
        });
        await upsertDraft(tx, { json, actor: input.actor, baseVersion: published.version });
        await audit(tx, {
          actor: input.actor,
          action: 'import',
          version: published.version,
          summary: input.summary,
        });
        return published;
      }),

    rollback: (input) =>
      inDefinitionsTransaction(prisma, async (tx) => {
        const earlier = await tx.definitionVersion.findUnique({
          where: { version: input.version },
          select: { content: true },
        });
        if (!earlier) return null;
        const json = JSON.stringify(earlier.content);
        const published = await insertLiveVersion(tx, {
          json,
          actor: input.actor,
          note: `rollback to version ${input.version}`,
        });
        if (input.resetDraft) {
          await upsertDraft(tx, { json, actor: input.actor, baseVersion: published.version });
        }
        await audit(tx, {
          actor: input.actor,
          action: 'rollback',
          version: published.version,
          summary: { from: input.version, ...(input.summary as object | undefined) },
        });
        return published;
      }),

    async listVersions(limit) {
      const [live, rows] = await Promise.all([
        getLiveVersion(),
        prisma.definitionVersion.findMany({
          select: VERSION_INFO_SELECT,
          orderBy: { version: 'desc' },
          take: limit,
        }),
      ]);
      return rows.map((row) => ({ ...row, live: row.version === live }));
    },

    async getVersion(version) {
      const [live, row] = await Promise.all([
        getLiveVersion(),
        prisma.definitionVersion.findUnique({
          where: { version },
          select: { ...VERSION_INFO_SELECT, content: true },
        }),
      ]);
      return row && { ...row, live: row.version === live };
    },

    async listAudit(limit) {
      const rows = await prisma.definitionAudit.findMany({ orderBy: { id: 'desc' }, take: limit });
      return rows.map((row) => ({
        ...row,
        id: Number(row.id),
        action: row.action as DefinitionAuditAction,
      }));
    },
  };
}
