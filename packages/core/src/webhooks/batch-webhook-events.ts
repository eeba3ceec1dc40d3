import type { Definitions } from '../definitions/definitions.types.ts';
import { materializeAssignment } from '../ledger/anchor-assignment.ts';
import { ledgerKey, type StatLedger, type StoredAssignment } from '../ledger/ledger.types.ts';
import { type TWebhookEventType, type WebhookEvent, webhookEvent } from './webhook.schema.ts';

const DONE = new Set(['completed', 'claimed']);

/**
 * The goal events an event batch caused, from its candidates (as read, on the old ledgers) and
 * the rows it wrote. A completion is always written (a stored open row never derives
 * `completed`), so comparing the two is exact. `goal.rotated` is the first event of a new
 * period for a row that had progress in the ended one: a row the batch moved to another period
 * whose progress on the old ledger was above 0. Only the `types` someone subscribes to are built.
 */
export function batchWebhookEvents(options: {
  candidates: readonly StoredAssignment[];
  changed: readonly StoredAssignment[];
  ledgers: ReadonlyMap<string, StatLedger>;
  definitions: Definitions;
  types: ReadonlySet<TWebhookEventType>;
  now: Date;
}): WebhookEvent[] {
  const { types, now } = options;
  if (options.changed.length === 0 || types.size === 0) return [];
  const before = new Map<string, StoredAssignment>();
  for (const row of options.candidates) before.set(`${row.userId}\u0000${row.goalId}`, row);
  const events: WebhookEvent[] = [];
  const seen = new Set<string>();
  for (const after of options.changed) {
    const old = before.get(`${after.userId}\u0000${after.goalId}`);
    if (!old) continue;
    const rotated = old.periodKey !== after.periodKey;
    const base = { userId: after.userId, challengeId: after.challengeId, goalId: after.goalId };
    const push = (event: WebhookEvent) => {
      if (seen.has(event.idempotencyKey)) return;
      seen.add(event.idempotencyKey);
      events.push(event);
    };
    if (rotated && types.has('goal.rotated')) {
      const goal = options.definitions.goalsById.get(old.goalId);
      const progress = goal
        ? materializeAssignment({
            stored: old,
            ledger: options.ledgers.get(ledgerKey(old.userId, old.statKey)),
            goal,
          }).progress
        : old.p0;
      if (progress > 0) {
        push(
          webhookEvent({
            ...base,
            type: 'goal.rotated',
            periodKey: old.periodKey,
            at: now,
            progress,
          }),
        );
      }
    }
    const completed = after.status === 'completed' && (rotated || !DONE.has(old.status));
    if (completed && types.has('goal.completed')) {
      push(
        webhookEvent({
          ...base,
          type: 'goal.completed' satisfies TWebhookEventType,
          periodKey: after.periodKey,
          at: after.completedAt ?? now,
          progress: after.p0,
        }),
      );
    }
  }
  return events;
}
