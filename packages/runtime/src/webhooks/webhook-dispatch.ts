import type { DueWebhookDelivery, WebhookDeliveryRepository } from '@challenges/db';
import type { Logger } from 'pino';
import { backoffDelayMs } from '../rewards/backoff.ts';
import { RewardDeliveryError } from '../rewards/reward-provider.ts';
import { describe } from '../rewards/webhook-provider.ts';
import type { WebhookSender } from './send-webhook.ts';

export interface WebhookDispatchConfig {
  deliveries: WebhookDeliveryRepository;
  sender: WebhookSender;
  log: Logger;
  /** The reward delivery's settings (REWARD_MAX_ATTEMPTS, REWARD_BACKOFF_*): one retry policy. */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  attemptTimeoutMs: number;
  random?: () => number;
  /** Each recorded attempt: its outcome and seconds from the send to the recorded result. */
  onAttempt?: (outcome: WebhookAttemptOutcome, seconds: number) => void;
}

/** `retry`: failed, tried again later; `dead`: failed for good (a dead letter). */
export type WebhookAttemptOutcome = 'delivered' | 'retry' | 'dead';

const BATCH = 20;
const CONCURRENCY = 10;

/**
 * One scan: claims due deliveries (leased, SKIP LOCKED) and attempts each once, recording the
 * outcome with the reward grants' rules — 2xx delivered; timeout, network error, 408, 429, 5xx
 * retried after full-jitter backoff; any other 4xx, a refused address or redirect, or the last
 * allowed attempt → `failed` (the dead letters). Returns how many were claimed.
 */
export async function dispatchDueWebhooks(config: WebhookDispatchConfig): Promise<number> {
  const now = new Date();
  const leaseMs = config.attemptTimeoutMs * Math.ceil(BATCH / CONCURRENCY) + 5000;
  const due = await config.deliveries.claimDue({
    now,
    limit: BATCH,
    leaseUntil: new Date(now.getTime() + leaseMs),
  });
  let next = 0;
  const lane = async () => {
    while (next < due.length) {
      const delivery = due[next++]!;
      await attempt(config, delivery).catch((error: unknown) =>
        config.log.warn(
          { err: error, key: delivery.idempotencyKey },
          'webhook attempt not recorded',
        ),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, due.length) }, lane));
  return due.length;
}

async function attempt(config: WebhookDispatchConfig, delivery: DueWebhookDelivery) {
  const started = performance.now();
  const done = (outcome: WebhookAttemptOutcome) =>
    config.onAttempt?.(outcome, (performance.now() - started) / 1000);
  let failure: unknown;
  try {
    await config.sender.send(delivery, AbortSignal.timeout(config.attemptTimeoutMs));
  } catch (error) {
    failure = error ?? new Error('webhook failed');
  }
  const at = new Date();
  if (failure === undefined) {
    await config.deliveries.recordAttempt({ id: delivery.id, result: { status: 'delivered' }, at });
    done('delivered');
    return;
  }
  const attempts = delivery.attempts + 1;
  const permanent = failure instanceof RewardDeliveryError && failure.permanent;
  const error = describe(failure).slice(0, 500);
  const dead = permanent || attempts >= config.maxAttempts;
  const delay = backoffDelayMs({
    attempt: attempts,
    baseMs: config.backoffBaseMs,
    capMs: config.backoffCapMs,
    random: config.random ?? Math.random,
  });
  await config.deliveries.recordAttempt({
    id: delivery.id,
    result: dead
      ? { status: 'failed', error }
      : { status: 'pending', error, nextAttemptAt: new Date(at.getTime() + delay) },
    at,
  });
  done(dead ? 'dead' : 'retry');
  config.log[dead ? 'warn' : 'info'](
    { key: delivery.idempotencyKey, webhookId: delivery.webhookId, attempts, error },
    dead ? 'webhook delivery failed: dead letter' : 'webhook delivery will be retried',
  );
}

/**
 * Repeats dispatchDueWebhooks every `intervalMs` (at once again after a full batch, so a
 * backlog drains at receiver speed) until stopped.
 */
export function startWebhookDispatch(config: WebhookDispatchConfig & { intervalMs: number }): {
  stop(): Promise<void>;
} {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const scan = async () => {
    while (!stopped && (await dispatchDueWebhooks(config)) >= BATCH) {}
  };
  const loop = () => {
    running = scan()
      .catch((error: unknown) => config.log.warn({ err: error }, 'webhook scan failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, config.intervalMs);
      });
  };
  loop();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
