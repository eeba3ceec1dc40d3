import { formatTimestamp, ZWebhookEventType, ZWebhookInput } from '@challenges/core';
import type { Webhook, WebhookDelivery } from '@challenges/db';
import { z } from 'zod';
import {
  createWebhook,
  deleteWebhook,
  listWebhookDeliveries,
  retryWebhookDeliveries,
  rotateWebhookSecret,
  updateWebhook,
} from '../../../application/webhooks.ts';
import { adminProcedure, editorProcedure, router, viewerProcedure } from '../../init.ts';

const ZId = z.string().regex(/^\d{1,19}$/, 'an id is a decimal number');
const ZDeliveryStatus = z.enum(['pending', 'delivered', 'failed']);

const ZWebhook = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  events: z.array(ZWebhookEventType),
  enabled: z.boolean(),
  updatedAt: z.string(),
});
const ZDelivery = z.object({
  id: z.string(),
  webhookId: z.string(),
  eventType: ZWebhookEventType,
  idempotencyKey: z.string(),
  status: ZDeliveryStatus,
  attempts: z.number(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});

const webhookJson = (w: Webhook): z.infer<typeof ZWebhook> => ({
  id: w.id,
  name: w.name,
  url: w.url,
  events: w.events,
  enabled: w.enabled,
  updatedAt: formatTimestamp(w.updatedAt),
});
const deliveryJson = (d: WebhookDelivery): z.infer<typeof ZDelivery> => ({
  id: d.id,
  webhookId: d.webhookId,
  eventType: d.eventType,
  idempotencyKey: d.idempotencyKey,
  status: d.status,
  attempts: d.attempts,
  lastError: d.lastError,
  nextAttemptAt: formatTimestamp(d.nextAttemptAt),
  createdAt: formatTimestamp(d.createdAt),
  deliveredAt: d.deliveredAt ? formatTimestamp(d.deliveredAt) : null,
});

/**
 * Outbound webhooks (docs/webhooks.md). Admins configure them (a URL and its secret decide
 * where player data goes); viewers see the webhooks and their deliveries; editors retry dead
 * letters, as they retry reward grants.
 */
export const webhookRouter = router({
  list: viewerProcedure.output(z.array(ZWebhook)).query(async ({ ctx }) => {
    return (await ctx.deps.app.webhooks.repository.list()).map(webhookJson);
  }),

  create: adminProcedure
    .input(ZWebhookInput)
    .output(z.object({ webhook: ZWebhook, secret: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const { webhook, secret } = await createWebhook(ctx.deps.app.webhooks, input);
      return { webhook: webhookJson(webhook), secret };
    }),

  update: adminProcedure
    .input(ZWebhookInput.extend({ id: ZId }))
    .output(ZWebhook)
    .mutation(async ({ ctx, input }) => {
      return webhookJson(await updateWebhook(ctx.deps.app.webhooks, input));
    }),

  delete: adminProcedure
    .input(z.object({ id: ZId }))
    .output(z.object({ deleted: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await deleteWebhook(ctx.deps.app.webhooks, input.id);
      return { deleted: true };
    }),

  /** A new signing secret, shown once; the old one stops verifying at once. */
  rotateSecret: adminProcedure
    .input(z.object({ id: ZId }))
    .output(z.object({ secret: z.string() }))
    .mutation(async ({ ctx, input }) => {
      return { secret: await rotateWebhookSecret(ctx.deps.app.webhooks, input.id) };
    }),

  deliveries: viewerProcedure
    .input(
      z.object({
        webhookId: ZId.optional(),
        status: ZDeliveryStatus.optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .output(z.array(ZDelivery))
    .query(async ({ ctx, input }) => {
      return (await listWebhookDeliveries(ctx.deps.app.webhooks, input)).map(deliveryJson);
    }),

  /** failed or pending → pending, due now, with a fresh attempt budget. */
  retry: editorProcedure
    .input(z.object({ ids: z.array(ZId).min(1).max(500) }))
    .output(z.object({ retried: z.number() }))
    .mutation(async ({ ctx, input }) => {
      const retried = await retryWebhookDeliveries(
        ctx.deps.app.webhooks,
        input.ids,
        ctx.deps.app.clock.now(),
      );
      return { retried };
    }),
});
