import { isTestPlayer, TEST_PLAYER_PROVIDER } from '@challenges/core';
import type { RewardDeliveryRepository, RewardGrant } from '@challenges/db';
import type { Logger } from 'pino';
import { backoffDelayMs } from './backoff.ts';
import { type GrantRecord, RewardDeliveryError, type RewardProvider } from './reward-provider.ts';
import { describe } from './webhook-provider.ts';

/** `retry`: the attempt failed and the grant stays pending; `failed`: it went to dead letters. */
export type AttemptOutcome = 'granted' | 'retry' | 'failed';

export interface RewardDeliveryConfig {
  provider: RewardProvider;
  deliveries: RewardDeliveryRepository;
  log: Logger;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  random?: () => number;
  /** The clock attempts are recorded with (tests pin it to check the due time exactly). */
  now?: () => Date;
  /** Metrics hook: one call per attempt. */
  onAttempt?: (attempt: { provider: string; outcome: AttemptOutcome; seconds: number }) => void;
}

export type DeliverableGrant = GrantRecord & Pick<RewardGrant, 'id' | 'attempts'>;

export interface RewardDelivery {
  readonly provider: string;
  /** One attempt within `timeoutMs`; the outcome is recorded and audited as `actor`. */
  attempt(
    grant: DeliverableGrant,
    options: { timeoutMs: number; actor: string },
  ): Promise<AttemptOutcome>;
}

// Providers get the signal, but one that ignores it must not hold the caller past the timeout.
async function withTimeout(run: (signal: AbortSignal) => Promise<void>, timeoutMs: number) {
  const signal = AbortSignal.timeout(timeoutMs);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () =>
      reject(new RewardDeliveryError(`provider timed out after ${timeoutMs} ms`, false));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([run(signal), aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

export function rewardDelivery(config: RewardDeliveryConfig): RewardDelivery {
  const { provider, deliveries, log } = config;
  const random = config.random ?? Math.random;
  const now = config.now ?? (() => new Date());
  return {
    provider: provider.name,
    async attempt(grant, { timeoutMs, actor }) {
      const started = performance.now();
      let failure: unknown;
      try {
        // A load test's claims are real claims, but its players are not: nothing leaves the
        // service for them (the grant's provider column says `test`).
        if (!isTestPlayer(grant.userId)) {
          await withTimeout((signal) => provider.grant(grant, signal), timeoutMs);
        }
      } catch (error) {
        failure = error ?? new Error('provider failed');
      }
      let outcome: AttemptOutcome = 'granted';
      if (failure === undefined) {
        // If this write fails the grant stays pending and is sent again with the same key: the
        // receiver's dedupe turns that into one effective grant.
        await deliveries.recordAttempt({
          grantId: grant.id,
          result: { status: 'granted' },
          actor,
          at: now(),
        });
      } else {
        const attempts = grant.attempts + 1;
        const permanent = failure instanceof RewardDeliveryError && failure.permanent;
        const message = describe(failure).slice(0, 500);
        const dead = permanent || attempts >= config.maxAttempts;
        outcome = dead ? 'failed' : 'retry';
        const delay = backoffDelayMs({
          attempt: attempts,
          baseMs: config.backoffBaseMs,
          capMs: config.backoffCapMs,
          random,
        });
        const at = now();
        await deliveries.recordAttempt({
          grantId: grant.id,
          result: dead
            ? { status: 'failed', error: message }
            : { status: 'pending', error: message, nextAttemptAt: new Date(at.getTime() + delay) },
          actor,
          at,
        });
        log[dead ? 'warn' : 'info'](
          { key: grant.idempotencyKey, attempts, provider: provider.name, error: message },
          dead ? 'reward grant failed: dead letter' : 'reward delivery will be retried',
        );
      }
      config.onAttempt?.({
        provider: isTestPlayer(grant.userId) ? TEST_PLAYER_PROVIDER : provider.name,
        outcome,
        seconds: (performance.now() - started) / 1000,
      });
      return outcome;
    },
  };
}
