import { randomUUID } from 'node:crypto';
import type { TWebhookEventType } from '@challenges/core';
import type { RedisClient } from '../redis-client.ts';
import { subscribeWhileReachable } from '../redis-subscribe.ts';

/**
 * The event types some enabled webhook subscribes to, cached for the hot paths (an event batch
 * or a claim asks on every call and must not query for it). `types()` answers from the cache.
 * `invalidate()` (called by the process that changed a webhook) reloads at once and tells every
 * other process over Redis pub/sub, which reload at once too. The `ttlMs` reload (in the
 * background, once the cache is that old) is the safety net for a notification lost while a
 * process was cut off from Redis.
 */
export interface WebhookSubscriptions {
  types(): ReadonlySet<TWebhookEventType>;
  invalidate(): Promise<void>;
  close(): void;
}

/** The channel a changed webhook is announced on (docs/webhooks.md). */
export function webhookChangesChannel(prefix: string): string {
  return `${prefix}:webhooks:changed`;
}

export interface WebhookSubscriptionsOptions {
  load: () => Promise<Set<TWebhookEventType>>;
  ttlMs: number;
  onError?: (error: unknown) => void;
  /** A reload found another set than before (for the log). */
  onChange?: (types: ReadonlySet<TWebhookEventType>) => void;
  /** Without: changes made elsewhere show within `ttlMs` only. */
  notify?: {
    /** Commands (PUBLISH). */
    redis: RedisClient;
    /** A connection of its own, in subscriber mode; closed by close(). */
    subscriber: RedisClient;
    prefix: string;
  };
}

/** Subscribes to the change notifications, then loads the set once. */
export async function startWebhookSubscriptions(
  options: WebhookSubscriptionsOptions,
): Promise<WebhookSubscriptions> {
  const { notify, onError } = options;
  const self = randomUUID();
  let current: ReadonlySet<TWebhookEventType> = new Set();
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;
  let again = false;
  const reload = (): Promise<void> => {
    if (loading) {
      // A change may have committed after the running load's query: load once more after it.
      again = true;
      return loading;
    }
    loading = options
      .load()
      .then((types) => {
        const changed = types.size !== current.size || [...types].some((t) => !current.has(t));
        current = types;
        if (changed && loadedAt !== Number.NEGATIVE_INFINITY) options.onChange?.(types);
        loadedAt = Date.now();
      }, onError)
      .finally(() => {
        loading = undefined;
        if (again) {
          again = false;
          void reload();
        }
      });
    return loading;
  };

  const channel = notify ? webhookChangesChannel(notify.prefix) : '';
  const onMessage = (ch: string, from: string) => {
    if (ch === channel && from !== self) void reload();
  };
  // After a reconnect a notification may have been missed.
  const onReady = () => void reload();
  if (notify) {
    notify.subscriber.on('message', onMessage);
    notify.subscriber.on('ready', onReady);
    await subscribeWhileReachable(notify.subscriber, channel, (error) => onError?.(error));
  }
  await reload();

  return {
    types() {
      if (Date.now() - loadedAt >= options.ttlMs) void reload();
      return current;
    },
    async invalidate() {
      await loading;
      await reload();
      await notify?.redis.publish(channel, self).catch((error: unknown) => onError?.(error));
    },
    close() {
      if (!notify) return;
      notify.subscriber.off('message', onMessage);
      notify.subscriber.off('ready', onReady);
      notify.subscriber.disconnect();
    },
  };
}
