import type pg from 'pg';
import type {
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
  decodeDraft,
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

const VERSION_INFO_COLUMNS = `v.version, v.checksum, v.created_at, v.created_by, v.note,
  (v.version = (SELECT live_version FROM definition_state WHERE id = 1)) AS live`;

interface VersionRow {
  version: number;
  checksum: string;
  created_at: Date;
  created_by: string;
  note: string | null;
  live: boolean | null;
  content?: unknown;
}

function decodeVersionInfo(row: VersionRow): DefinitionVersionInfo {
  return {
    version: row.version,
    checksum: row.checksum,
    createdAt: row.created_at,
    createdBy: row.created_by,
    note: row.note,
    live: row.live === true,
  };
}

export function createDefinitionRepository(pool: pg.Pool): DefinitionRepository {
  const latestVersion = async (client: pg.PoolClient) => {
    const { rows } = await client.query<{ n: number | null }>(
      'SELECT max(version) AS n FROM definition_versions',
    );
    return rows[0]?.n ?? null;
  };

  return {
    async getLive() {
      const { rows } = await pool.query<{ version: number; content: unknown }>(
        `SELECT v.version, v.content
           FROM definition_state s JOIN definition_versions v ON v.version = s.live_version
          WHERE s.id = 1`,
      );
      return rows[0] ?? null;
    },

    async getLiveVersion() {
      const { rows } = await pool.query<{ live_version: number }>(
        'SELECT live_version FROM definition_state WHERE id = 1',
      );
      return rows[0]?.live_version ?? null;
    },

    async getDraft() {
      const { rows } = await pool.query(
        'SELECT content, updated_at, updated_by, base_version FROM definition_draft WHERE id = 1',
      );
      return rows[0] ? decodeDraft(rows[0]) : null;
    },

    saveDraft: (input) =>
      inDefinitionsTransaction(pool, async (client) => {
        const { rows } = await client.query<{ live_version: number }>(
          'SELECT live_version FROM definition_state WHERE id = 1',
        );
        const baseVersion = rows[0]?.live_version ?? null;
        const draft = await upsertDraft(client, {
          json: JSON.stringify(input.content),
          actor: input.actor,
          baseVersion,
        });
        await audit(client, {
          actor: input.actor,
          action: input.action ?? 'update_draft',
          version: baseVersion,
          summary: input.summary,
        });
        return draft;
      }),

    publish: (input) =>
      inDefinitionsTransaction(pool, async (client) => {
        const json = JSON.stringify(input.content);
        const published = await insertLiveVersion(client, {
          json,
          actor: input.actor,
          note: input.note ?? null,
        });
        await client.query('UPDATE definition_draft SET base_version = $1 WHERE id = 1', [
          published.version,
        ]);
        await audit(client, {
          actor: input.actor,
          action: 'publish',
          version: published.version,
          summary: input.summary,
        });
        return published;
      }),

    publishInitial: (input) =>
      inDefinitionsTransaction(pool, async (client) => {
        if ((await latestVersion(client)) !== null) return null;
        const json = JSON.stringify(input.content);
        const published = await insertLiveVersion(client, {
          json,
          actor: input.actor,
          note: input.note ?? null,
        });
        await upsertDraft(client, { json, actor: input.actor, baseVersion: published.version });
        await audit(client, {
          actor: input.actor,
          action: 'import',
          version: published.version,
          summary: input.summary,
        });
        return published;
      }),

    rollback: (input) =>
      inDefinitionsTransaction(pool, async (client) => {
        const { rows } = await client.query<{ content: unknown }>(
          'SELECT content FROM definition_versions WHERE version = $1',
          [input.version],
        );
        if (!rows[0]) return null;
        const json = JSON.stringify(rows[0].content);
        const published = await insertLiveVersion(client, {
          json,
          actor: input.actor,
          note: `rollback to version ${input.version}`,
        });
        if (input.resetDraft) {
          await upsertDraft(client, { json, actor: input.actor, baseVersion: published.version });
        }
        await audit(client, {
          actor: input.actor,
          action: 'rollback',
          version: published.version,
          summary: { from: input.version, ...(input.summary as object | undefined) },
        });
        return published;
      }),

    async listVersions(limit) {
      const { rows } = await pool.query<VersionRow>(
        `SELECT ${VERSION_INFO_COLUMNS} FROM definition_versions v ORDER BY v.version DESC LIMIT $1`,
        [limit],
      );
      return rows.map(decodeVersionInfo);
    },

    async getVersion(version) {
      const { rows } = await pool.query<VersionRow>(
        `SELECT ${VERSION_INFO_COLUMNS}, v.content FROM definition_versions v WHERE v.version = $1`,
        [version],
      );
      const row = rows[0];
      return row ? { ...decodeVersionInfo(row), content: row.content } : null;
    },

    async listAudit(limit) {
      const { rows } = await pool.query(
        `SELECT id, at, actor, action, version, summary
           FROM definition_audit ORDER BY id DESC LIMIT $1`,
        [limit],
      );
      return rows.map((row) => ({
        id: Number(row.id),
        at: row.at,
        actor: row.actor,
        action: row.action,
        version: row.version,
        summary: row.summary,
      }));
    },
  };
}
