import { createHash } from 'node:crypto';
import type pg from 'pg';
import { inTransaction } from '../transaction.ts';
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

type Queryable = pg.Pool | pg.PoolClient;

export function decodeDraft(row: {
  content: unknown;
  updated_at: Date;
  updated_by: string;
  base_version: number | null;
}): DefinitionDraft {
  return {
    content: row.content,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    baseVersion: row.base_version,
  };
}

export function contentChecksum(json: string): string {
  return createHash('sha256').update(json).digest('hex');
}

export function inDefinitionsTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [DEFINITIONS_LOCK_KEY]);
    return fn(client);
  });
}

export async function audit(
  db: Queryable,
  entry: { actor: string; action: DefinitionAuditAction; version: number | null; summary: unknown },
): Promise<void> {
  await db.query(
    `INSERT INTO definition_audit (actor, action, version, summary) VALUES ($1, $2, $3, $4::jsonb)`,
    [entry.actor, entry.action, entry.version, JSON.stringify(entry.summary ?? {})],
  );
}

export async function upsertDraft(
  db: Queryable,
  draft: { json: string; actor: string; baseVersion: number | null },
): Promise<DefinitionDraft> {
  const { rows } = await db.query(
    `INSERT INTO definition_draft (id, content, updated_at, updated_by, base_version)
     VALUES (1, $1::jsonb, now(), $2, $3)
     ON CONFLICT (id) DO UPDATE
        SET content = EXCLUDED.content, updated_at = EXCLUDED.updated_at,
            updated_by = EXCLUDED.updated_by, base_version = EXCLUDED.base_version
     RETURNING content, updated_at, updated_by, base_version`,
    [draft.json, draft.actor, draft.baseVersion],
  );
  return decodeDraft(rows[0]);
}

/** Inserts the next version and makes it live; the caller holds the definitions lock. */
export async function insertLiveVersion(
  client: pg.PoolClient,
  input: { json: string; actor: string; note: string | null },
): Promise<PublishedVersion> {
  const checksum = contentChecksum(input.json);
  const { rows } = await client.query<{ version: number; created_at: Date }>(
    `INSERT INTO definition_versions (version, content, checksum, created_by, note)
     SELECT coalesce(max(version), 0) + 1, $1::jsonb, $2, $3, $4 FROM definition_versions
     RETURNING version, created_at`,
    [input.json, checksum, input.actor, input.note],
  );
  const { version, created_at: createdAt } = rows[0]!;
  await client.query(
    `INSERT INTO definition_state (id, live_version, updated_at) VALUES (1, $1, now())
     ON CONFLICT (id) DO UPDATE SET live_version = EXCLUDED.live_version, updated_at = now()`,
    [version],
  );
  return { version, createdAt, checksum };
}
