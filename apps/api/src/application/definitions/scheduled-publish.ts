import {
  CoreError,
  definitionProblems,
  diffDefinitions,
  parseDefinitions,
  summarizeDiff,
} from '@challenges/core';
import type { ScheduledPublish } from '@challenges/db';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { decodeInput, ZActor, ZNote } from './definitions.input.ts';
import { assertSameDraft, ZDraftRevision } from './draft-guard.ts';

// Scheduled publishes (docs/definitions.md, Schedules): the draft as it is now, published at a
// time by the first api replica whose poll finds it due on the service clock. What is
// published is that snapshot, even when the draft changed since (the audit says so).

const ZSchedulePublishInput = z.object({
  publishAt: z.coerce.date(),
  actor: ZActor,
  note: ZNote,
  draftRevision: ZDraftRevision,
});

/** Schedules the current draft; it must be valid and differ from live, and the time be ahead. */
export async function schedulePublish(
  ctx: AppContext,
  input: {
    publishAt: Date | string;
    actor: string;
    note?: string;
    draftRevision?: Date | string | null;
  },
): Promise<ScheduledPublish> {
  const { publishAt, actor, note, draftRevision } = decodeInput(ZSchedulePublishInput, input);
  if (Number.isNaN(publishAt.getTime())) {
    throw new CoreError('INVALID_ARGUMENT', 'publishAt must be an RFC 3339 time');
  }
  const now = ctx.clock.now();
  if (publishAt.getTime() <= now.getTime()) {
    throw new CoreError(
      'INVALID_ARGUMENT',
      `publishAt must be in the future (service clock: ${now.toISOString()})`,
    );
  }
  const { repository, scheduledPublishes } = ctx.definitionStore;
  const draft = await repository.getDraft();
  assertSameDraft(draft, draftRevision);
  if (!draft) throw new CoreError('NOT_FOUND', 'there is no draft to schedule');
  const problems = definitionProblems(draft.content);
  if (problems.length > 0) {
    throw new CoreError('INVALID_DEFINITIONS', problems[0]!, problems);
  }
  const live = await repository.getLive();
  const changes = summarizeDiff(
    diffDefinitions(live ? parseDefinitions(live.content) : null, parseDefinitions(draft.content)),
  );
  return scheduledPublishes.schedule({
    content: draft.content,
    publishAt,
    draftRevision: draft.updatedAt,
    note: note ?? null,
    actor,
    summary: { changes },
  });
}

const ZCancelInput = z.object({ id: z.number().int().positive(), actor: ZActor });

export async function cancelScheduledPublish(
  ctx: AppContext,
  input: { id: number; actor: string },
): Promise<ScheduledPublish> {
  const { id, actor } = decodeInput(ZCancelInput, input);
  const cancelled = await ctx.definitionStore.scheduledPublishes.cancel({ id, actor });
  if (cancelled) return cancelled;
  const existing = await ctx.definitionStore.scheduledPublishes.get(id);
  if (!existing) throw new CoreError('NOT_FOUND', `scheduled publish ${id} does not exist`);
  throw new CoreError(
    'CONFLICT',
    `scheduled publish ${id} is already ${existing.status}; only a pending one can be cancelled`,
  );
}

export function listScheduledPublishes(
  ctx: AppContext,
  input: { limit?: number } = {},
): Promise<ScheduledPublish[]> {
  return ctx.definitionStore.scheduledPublishes.list(input.limit ?? 100);
}

/**
 * Publishes every scheduled publish due now (earliest first), each at most once across all
 * replicas; signals every process after each. Returns the versions it created.
 */
export async function runDueScheduledPublishes(ctx: AppContext): Promise<number[]> {
  const { scheduledPublishes, announce, source } = ctx.definitionStore;
  const versions: number[] = [];
  for (;;) {
    const executed = await scheduledPublishes.executeDue({
      now: ctx.clock.now(),
      summarize: ({ scheduled, liveContent, draftRevision }) => {
        const before = liveContent === null ? null : safeParse(liveContent);
        const changes = summarizeDiff(diffDefinitions(before, parseDefinitions(scheduled.content)));
        const draftChanged =
          (draftRevision?.getTime() ?? null) !== (scheduled.draftRevision?.getTime() ?? null);
        return {
          scheduledId: scheduled.id,
          publishAt: scheduled.publishAt.toISOString(),
          draftChangedSinceScheduled: draftChanged,
          ...(draftChanged
            ? {
                message:
                  'the draft was edited after this publish was scheduled; the scheduled snapshot was published, not the current draft',
              }
            : {}),
          ...changes,
        };
      },
    });
    if (!executed) return versions;
    versions.push(executed.published.version);
    await announce(executed.published.version);
    await source.refresh();
  }
}

function safeParse(content: unknown) {
  try {
    return parseDefinitions(content);
  } catch {
    return null;
  }
}

/**
 * Every replica polls each `intervalMs` (default 1 s); overlapping ticks are skipped. Errors are
 * logged and the next tick tries again. Returns the stop function.
 */
export function startScheduledPublishPoller(
  ctx: AppContext,
  options: { log: Logger; intervalMs?: number },
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runDueScheduledPublishes(ctx)
      .then((versions) => {
        if (versions.length > 0) {
          options.log.info({ versions }, 'scheduled publish executed');
        }
      })
      .catch((error: unknown) => options.log.warn({ err: error }, 'scheduled publish failed'))
      .finally(() => {
        running = false;
      });
  }, options.intervalMs ?? 1000);
  timer.unref();
  return () => clearInterval(timer);
}
