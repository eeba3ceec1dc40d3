import { z } from 'zod';

/** The goal events a webhook can subscribe to (docs/webhooks.md). */
export const WEBHOOK_EVENT_TYPES = ['goal.completed', 'goal.claimed', 'goal.rotated'] as const;
export const ZWebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type TWebhookEventType = z.infer<typeof ZWebhookEventType>;

/** What the dashboard edits; the URL's address is checked by the delivery side (SSRF guard). */
export const ZWebhookInput = z.object({
  name: z.string().trim().min(1).max(100),
  url: z
    .string()
    .trim()
    .max(2000)
    .url('Enter a full URL, e.g. https://crm.example.com/hooks/challenges')
    .refine((u) => /^https?:\/\//i.test(u), 'The URL must start with http:// or https://'),
  events: z.array(ZWebhookEventType).min(1, 'Pick at least one event').max(3),
  enabled: z.boolean().default(true),
});
export type TWebhookInput = z.infer<typeof ZWebhookInput>;

/** One event owed to every webhook subscribed to its type; the key is the same for all of them. */
export interface WebhookEvent {
  type: TWebhookEventType;
  idempotencyKey: string;
  payload: {
    type: TWebhookEventType;
    userId: string;
    challengeId: string;
    goalId: string;
    /** The period the event belongs to (the ended one for goal.rotated); null without rotation. */
    periodKey: string | null;
    /** ISO time of the completion, claim or rotation. */
    at: string;
    progress?: number;
  };
}

export function webhookEvent(options: {
  type: TWebhookEventType;
  userId: string;
  challengeId: string;
  goalId: string;
  periodKey: string | null;
  at: Date;
  progress?: number;
}): WebhookEvent {
  const { type, userId, goalId, periodKey } = options;
  const idempotencyKey = `${type}:${userId}:${goalId}:${periodKey ?? '-'}`;
  return {
    type,
    idempotencyKey,
    payload: {
      type,
      userId,
      challengeId: options.challengeId,
      goalId,
      periodKey,
      at: options.at.toISOString(),
      ...(options.progress === undefined ? {} : { progress: options.progress }),
    },
  };
}
