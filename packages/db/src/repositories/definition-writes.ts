import { createHash } from 'node:crypto';
import { type Definitions, parseDefinitions } from '@challenges/core';
import type pg from 'pg';
import { inTransaction } from '../transaction.ts';
import { deactivateOutsideAudiences } from './audience-publish.ts';
import {
  type DefinitionAuditAction,
  type DefinitionDraft,
  DraftConflictError,
  type DraftStamp,
  type PublishedVersion,
} from './definition.types.ts';
import { DEFINITIONS_FENCE_KEY } from './definitions-fence.ts';
import { reanchorForPublish } from './ledger-publish.ts';

// The definition store's writes, through pg: the live switch re-anchors goal rows in its own
// transaction (reanchorForPublish), which needs a pg client, and Prisma's interactive
// transaction cannot give one. Reads stay on Prisma (definition.repository.ts).

/**
 * Serialises every write that creates a version, so "max + 1" never races and the first-start
 * import runs once when several processes start together on an empty database.
 */
const DEFINITIONS_LOCK_KEY = 72707380;

export function contentChecksum(json: string): string {
  return createHash('sha256').update(json).digest('hex');
}

/** A transaction holding the definitions lock (taken with BEGIN, one round trip). */
export function inDefinitionsTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return inTransaction(pool, fn, {
    begin: `BEGIN; SELECT pg_advisory_xact_lock(${DEFINITIONS_LOCK_KEY})`,
  });
}

export async function audit(
  client: pg.PoolClient,
  entry: { actor: string; action: DefinitionAuditAction; version: number | null; summary: unknown },
): Promise<void> {
  await client.query(
    `INSERT INTO definition_audit (actor, action, version, summary) VALUES ($1, $2, $3, $4::jsonb)`,
    [entry.actor, entry.action, entry.version, JSON.stringify(entry.summary ?? {})],
  );
}

/** The live version as this transaction sees it (null before the first publish). */
export async function liveVersionIn(client: pg.PoolClient): Promise<number | null> {
  const { rows } = await client.query<{ live_version: number }>(
    'SELECT live_version FROM definition_state WHERE id = 1',
  );
  return rows[0]?.live_version ?? null;
}

/**
 * Refuses a draft write whose caller edited another draft than the stored one. Compared inside
 * the definitions lock, so two saves from the same stale base cannot both pass.
 */
export async function assertDraftUnchanged(
  client: pg.PoolClient,
  expected: Date | null,
): Promise<void> {
  const { rows } = await client.query<DraftStamp>(
    `SELECT updated_at AS "updatedAt", updated_by AS "updatedBy" FROM definition_draft WHERE id = 1`,
  );
  const current = rows[0] ?? null;
  if ((current?.updatedAt.getTime() ?? null) !== (expected?.getTime() ?? null)) {
    throw new DraftConflictError(current);
  }
}

/**
 * updated_at is the draft's revision (assertDraftUnchanged): it moves forward by at least 1 ms
 * on every save, so two saves in the same millisecond still differ.
 */
export async function upsertDraft(
  client: pg.PoolClient,
  draft: { json: string; actor: string; baseVersion: number | null },
): Promise<DefinitionDraft> {
  const { rows } = await client.query<DefinitionDraft>(
    `INSERT INTO definition_draft (id, content, updated_at, updated_by, base_version)
     VALUES (1, $1::jsonb, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET content = EXCLUDED.content,
       updated_at = greatest(EXCLUDED.updated_at, definition_draft.updated_at + interval '1 millisecond'),
       updated_by = EXCLUDED.updated_by, base_version = EXCLUDED.base_version
     RETURNING content, updated_at AS "updatedAt", updated_by AS "updatedBy",
               base_version AS "baseVersion"`,
    [draft.json, new Date(), draft.actor, draft.baseVersion],
  );
  return rows[0]!;
}

/**
 * A live version this release cannot parse was written by another release (docs/event-model.md,
 * Deploying: no mixed versions): treated as nothing live, rows resume from their stored p0.
 */
function parsedOrNull(content: unknown): Definitions | null {
  try {
    return parseDefinitions(content);
  } catch {
    return null;
  }
}

/**
 * The live switch, the one place every publish, rollback and import goes through: inserts the
 * next version, makes it live, re-anchors the goal rows whose requirement changed and deactivates
 * the active rows of players outside an audience that changed, holding
 * the definitions fence exclusively (it waits for the ledger transactions in flight and holds
 * new ones back until commit). The caller holds the definitions lock.
 */
export async function switchLive(
  client: pg.PoolClient,
  input: { json: string; actor: string; note: string | null },
): Promise<PublishedVersion> {
  const after = parseDefinitions(JSON.parse(input.json));
  await client.query(`SELECT pg_advisory_xact_lock(${DEFINITIONS_FENCE_KEY})`);
  const live = await client.query<{ content: unknown }>(
    `SELECT v.content FROM definition_state s JOIN definition_versions v ON v.version = s.live_version
      WHERE s.id = 1`,
  );
  const before = live.rows[0] ? parsedOrNull(live.rows[0].content) : null;
  const checksum = contentChecksum(input.json);
  const { rows } = await client.query<{ version: number; createdAt: Date }>(
    `WITH v AS (
       INSERT INTO definition_versions (version, content, checksum, created_by, note)
       SELECT coalesce(max(version), 0) + 1, $1::jsonb, $2, $3, $4 FROM definition_versions
       RETURNING version, created_at
     ), s AS (
       INSERT INTO definition_state (id, live_version, updated_at)
       SELECT 1, version, created_at FROM v
       ON CONFLICT (id) DO UPDATE SET live_version = EXCLUDED.live_version,
         updated_at = EXCLUDED.updated_at
     )
     SELECT version, created_at AS "createdAt" FROM v`,
    [input.json, checksum, input.actor, input.note],
  );
  await reanchorForPublish(client, { before, after });
  // Players now outside a changed audience stop progressing with this publish, not at their
  // next initialize (docs/definitions.md#audiences).
  await deactivateOutsideAudiences(client, { before, after, at: rows[0]!.createdAt });
  return { ...rows[0]!, checksum };
}
