import { poolOf } from '../client.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type {
  AuditFilter,
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
  assertDraftUnchanged,
  audit,
  inDefinitionsTransaction,
  liveVersionIn,
  switchLive,
  upsertDraft,
} from './definition-writes.ts';

export { contentChecksum } from './definition-writes.ts';

export interface DefinitionRepository {
  /** The live version and its content; null while nothing was ever published. */
  getLive(): Promise<LiveDefinitions | null>;
  /** One indexed single-row read: what every process polls each second. */
  getLiveVersion(): Promise<number | null>;
  getDraft(): Promise<DefinitionDraft | null>;
  /** Throws DraftConflictError when `expectedUpdatedAt` is given and the draft changed since. */
  saveDraft(input: SaveDraftInput): Promise<DefinitionDraft>;
  /**
   * Inserts version max+1, makes it live, re-anchors the goal rows whose requirement changed
   * (behind the definitions fence), audits and points the draft at it, in one transaction.
   * Throws when the content does not parse: rows cannot be re-anchored to it.
   */
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
  /** Newest first; `filter` pages (before an id) and narrows to one action. */
  listAudit(limit: number, filter?: AuditFilter): Promise<DefinitionAuditEntry[]>;
}

const VERSION_INFO_SELECT = {
  version: true,
  checksum: true,
  createdAt: true,
  createdBy: true,
  note: true,
} as const;

/**
 * The live version number: every process polls it each second. Raw, because Prisma's
 * findUnique costs about twice the CPU of the same one-row read as $queryRaw (measured
 * 0.24 ms vs 0.13 ms a call).
 */
async function readLiveVersion(db: PrismaClient): Promise<number | null> {
  const rows = await db.$queryRaw<{ live_version: number }[]>`
    SELECT live_version FROM definition_state WHERE id = 1`;
  return rows[0]?.live_version ?? null;
}

/** Reads through Prisma; writes (definition-writes.ts) through pg on the client's pool. */
export function createDefinitionRepository(prisma: PrismaClient): DefinitionRepository {
  const getLiveVersion = () => readLiveVersion(prisma);
  const pool = poolOf(prisma);

  return {
    // One round trip: read after each switch the poll sees, and at every start.
    async getLive() {
      const rows = await prisma.$queryRaw<LiveDefinitions[]>`
        SELECT v.version, v.content
          FROM definition_state s JOIN definition_versions v ON v.version = s.live_version
         WHERE s.id = 1`;
      return rows[0] ?? null;
    },

    getLiveVersion,

    getDraft: () =>
      prisma.definitionDraft.findUnique({
        where: { id: 1 },
        select: { content: true, updatedAt: true, updatedBy: true, baseVersion: true },
      }),

    saveDraft: (input) =>
      inDefinitionsTransaction(pool, async (tx) => {
        if (input.expectedUpdatedAt !== undefined) {
          await assertDraftUnchanged(tx, input.expectedUpdatedAt);
        }
        const baseVersion = await liveVersionIn(tx);
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
      inDefinitionsTransaction(pool, async (tx) => {
        const json = JSON.stringify(input.content);
        const published = await switchLive(tx, {
          json,
          actor: input.actor,
          note: input.note ?? null,
        });
        await tx.query('UPDATE definition_draft SET base_version = $1 WHERE id = 1', [
          published.version,
        ]);
        await audit(tx, {
          actor: input.actor,
          action: 'publish',
          version: published.version,
          summary: input.summary,
        });
        return published;
      }),

    publishInitial: (input) =>
      inDefinitionsTransaction(pool, async (tx) => {
        if ((await liveVersionIn(tx)) !== null) return null;
        const json = JSON.stringify(input.content);
        const published = await switchLive(tx, {
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
      inDefinitionsTransaction(pool, async (tx) => {
        const { rows } = await tx.query<{ content: unknown }>(
          'SELECT content FROM definition_versions WHERE version = $1',
          [input.version],
        );
        const earlier = rows[0];
        if (!earlier) return null;
        const json = JSON.stringify(earlier.content);
        const published = await switchLive(tx, {
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

    async listAudit(limit, filter = {}) {
      const rows = await prisma.definitionAudit.findMany({
        where: {
          ...(filter.before === undefined ? {} : { id: { lt: BigInt(filter.before) } }),
          ...(filter.action === undefined ? {} : { action: filter.action }),
        },
        orderBy: { id: 'desc' },
        take: limit,
      });
      return rows.map((row) => ({
        ...row,
        id: Number(row.id),
        action: row.action as DefinitionAuditAction,
      }));
    },
  };
}
