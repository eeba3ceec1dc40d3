import type pg from 'pg';
import { poolOf } from '../client.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { PublishedVersion } from './definition.types.ts';
import {
  audit,
  contentChecksum,
  inDefinitionsTransaction,
  liveVersionIn,
  switchLive,
} from './definition-writes.ts';

// Scheduled publishes (docs/definitions.md, Schedules): a snapshot of the draft, published at a
// time by whichever api replica's poll claims it first. Exactly once: the claim is a
// conditional UPDATE (status 'pending' → 'executed') inside the publishing transaction, which
// also holds the definitions lock; a replica that loses the race finds no pending row.

export type ScheduledPublishStatus = 'pending' | 'cancelled' | 'executed';

export interface ScheduledPublish {
  id: number;
  publishAt: Date;
  checksum: string;
  draftRevision: Date | null;
  note: string | null;
  createdBy: string;
  createdAt: Date;
  status: ScheduledPublishStatus;
  doneAt: Date | null;
  doneBy: string | null;
  version: number | null;
}

export interface ScheduledPublishWithContent extends ScheduledPublish {
  content: unknown;
}

export interface ExecutedPublish {
  scheduled: ScheduledPublishWithContent;
  published: PublishedVersion;
}

export interface ScheduledPublishRepository {
  /** Stores the snapshot as pending and audits `schedule_publish`, in one transaction. */
  schedule(input: {
    content: unknown;
    publishAt: Date;
    draftRevision: Date | null;
    note: string | null;
    actor: string;
    summary: unknown;
  }): Promise<ScheduledPublish>;
  /** Cancels a pending one (audited); null when it is not pending (or does not exist). */
  cancel(input: { id: number; actor: string }): Promise<ScheduledPublish | null>;
  /** Newest publish time first; pending ones first of all. */
  list(limit: number): Promise<ScheduledPublish[]>;
  get(id: number): Promise<ScheduledPublishWithContent | null>;
  /**
   * Publishes the earliest pending one due at `now` (the service clock), if any: claims it,
   * switches live (re-anchoring, behind the definitions fence) and audits `scheduled_publish`
   * with what `summarize` says — given the live content before and the draft's current
   * revision — all in one transaction. null when nothing is due or another replica took it.
   */
  executeDue(input: {
    now: Date;
    summarize: (context: {
      scheduled: ScheduledPublishWithContent;
      liveContent: unknown | null;
      draftRevision: Date | null;
    }) => unknown;
  }): Promise<ExecutedPublish | null>;
}

const COLUMNS = `id::int AS id, publish_at AS "publishAt", checksum, draft_revision AS "draftRevision",
  note, created_by AS "createdBy", created_at AS "createdAt", status, done_at AS "doneAt",
  done_by AS "doneBy", version`;

export function createScheduledPublishRepository(prisma: PrismaClient): ScheduledPublishRepository {
  const pool: pg.Pool = poolOf(prisma);
  return {
    schedule: (input) =>
      inDefinitionsTransaction(pool, async (tx) => {
        const json = JSON.stringify(input.content);
        const { rows } = await tx.query<ScheduledPublish>(
          `INSERT INTO scheduled_publish (publish_at, content, checksum, draft_revision, note, created_by)
           VALUES ($1, $2::jsonb, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
          [
            input.publishAt,
            json,
            contentChecksum(json),
            input.draftRevision,
            input.note,
            input.actor,
          ],
        );
        const scheduled = rows[0]!;
        await audit(tx, {
          actor: input.actor,
          action: 'schedule_publish',
          version: await liveVersionIn(tx),
          summary: {
            scheduledId: scheduled.id,
            publishAt: scheduled.publishAt.toISOString(),
            ...(input.summary as object),
          },
        });
        return scheduled;
      }),

    cancel: (input) =>
      inDefinitionsTransaction(pool, async (tx) => {
        const { rows } = await tx.query<ScheduledPublish>(
          `UPDATE scheduled_publish SET status = 'cancelled', done_at = now(), done_by = $2
            WHERE id = $1 AND status = 'pending' RETURNING ${COLUMNS}`,
          [input.id, input.actor],
        );
        const cancelled = rows[0];
        if (!cancelled) return null;
        await audit(tx, {
          actor: input.actor,
          action: 'cancel_scheduled_publish',
          version: await liveVersionIn(tx),
          summary: { scheduledId: cancelled.id, publishAt: cancelled.publishAt.toISOString() },
        });
        return cancelled;
      }),

    async list(limit) {
      const { rows } = await pool.query<ScheduledPublish>(
        `SELECT ${COLUMNS} FROM scheduled_publish
          ORDER BY (status = 'pending') DESC, publish_at DESC, id DESC LIMIT $1`,
        [limit],
      );
      return rows;
    },

    async get(id) {
      const { rows } = await pool.query<ScheduledPublishWithContent>(
        `SELECT ${COLUMNS}, content FROM scheduled_publish WHERE id = $1`,
        [id],
      );
      return rows[0] ?? null;
    },

    async executeDue({ now, summarize }) {
      // A cheap look first (every replica, every second): no transaction, no lock.
      const due = await pool.query<{ id: number }>(
        `SELECT id::int AS id FROM scheduled_publish
          WHERE status = 'pending' AND publish_at <= $1 ORDER BY publish_at, id LIMIT 1`,
        [now],
      );
      if (due.rows.length === 0) return null;
      return inDefinitionsTransaction(pool, async (tx) => {
        // The claim: under the definitions lock, and conditional, so only one replica wins.
        const { rows } = await tx.query<ScheduledPublishWithContent>(
          `UPDATE scheduled_publish SET status = 'executed', done_at = $2, done_by = 'scheduler'
            WHERE id = (SELECT id FROM scheduled_publish
                         WHERE status = 'pending' AND publish_at <= $1
                         ORDER BY publish_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING ${COLUMNS}, content`,
          [now, new Date()],
        );
        const scheduled = rows[0];
        if (!scheduled) return null;
        const context = await tx.query<{ content: unknown; draftRevision: Date | null }>(
          `SELECT (SELECT v.content FROM definition_state s
                     JOIN definition_versions v ON v.version = s.live_version WHERE s.id = 1) AS content,
                  (SELECT updated_at FROM definition_draft WHERE id = 1) AS "draftRevision"`,
        );
        const summary = summarize({
          scheduled,
          liveContent: context.rows[0]?.content ?? null,
          draftRevision: context.rows[0]?.draftRevision ?? null,
        });
        const published = await switchLive(tx, {
          json: JSON.stringify(scheduled.content),
          actor: scheduled.createdBy,
          note: scheduled.note ?? `scheduled publish #${scheduled.id}`,
        });
        await tx.query('UPDATE scheduled_publish SET version = $2 WHERE id = $1', [
          scheduled.id,
          published.version,
        ]);
        await tx.query('UPDATE definition_draft SET base_version = $1 WHERE id = 1', [
          published.version,
        ]);
        await audit(tx, {
          actor: scheduled.createdBy,
          action: 'scheduled_publish',
          version: published.version,
          summary,
        });
        return { scheduled: { ...scheduled, version: published.version }, published };
      });
    },
  };
}
