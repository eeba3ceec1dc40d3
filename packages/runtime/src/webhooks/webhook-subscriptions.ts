import type { TWebhookEventType } from '@challenges/core';

/**
 * The event types some enabled webhook subscribes to, cached for the hot paths (an event batch
 * or a claim asks on every call and must not query for it). `types()` answers from the cache
 * and reloads in the background once it is `ttlMs` old; `invalidate()` (called by the process
 * that changed a webhook) reloads at once. Other processes see a change within `ttlMs`.
 */
export interface WebhookSubscriptions {
  types(): ReadonlySet<TWebhookEventType>;
  invalidate(): Promise<void>;
}

export function createWebhookSubscriptions(options: {
  load: () => Promise<Set<TWebhookEventType>>;
  ttlMs: number;
  onError?: (error: unknown) => void;
}): WebhookSubscriptions {
  let current: ReadonlySet<TWebhookEventType> = new Set();
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;
  const reload = () => {
    loading ??= options
      .load()
      .then((types) => {
        current = types;
        loadedAt = Date.now();
      }, options.onError)
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
  return {
    types() {
      if (Date.now() - loadedAt >= options.ttlMs) void reload();
      return current;
    },
    async invalidate() {
      await loading;
      await reload();
    },
  };
}
