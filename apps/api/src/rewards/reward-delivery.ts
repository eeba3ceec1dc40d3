import type { RewardGrantInput, RewardGrantRepository } from '@challenges/db';
import type { Logger } from 'pino';

export type DeliveryOutcome = 'granted' | 'pending';

/** What a claim owes, as recorded in its reward grant. */
export type GrantRecord = RewardGrantInput;

/** A reward backend. `grant` must be idempotent per `idempotencyKey`. */
export interface RewardProvider {
  readonly name: string;
  grant(record: GrantRecord, signal: AbortSignal): Promise<void>;
}

export interface RewardDelivery {
  readonly provider: string;
  /** One attempt right after the claim commits; a failure leaves the grant pending. */
  deliverNow(record: GrantRecord): Promise<DeliveryOutcome>;
}

/** The development and test provider: records each grant once, keyed by idempotency key. */
export function mockRewardProvider(grants: RewardGrantRepository): RewardProvider {
  return {
    name: 'mock',
    grant: async (record) => {
      await grants.mockReceipt.record(record);
    },
  };
}

export function rewardDelivery(options: {
  provider: RewardProvider;
  grants: RewardGrantRepository;
  log: Logger;
  inlineTimeoutMs?: number;
}): RewardDelivery {
  const { provider, grants, log } = options;
  const timeoutMs = options.inlineTimeoutMs ?? 500;
  return {
    provider: provider.name,
    deliverNow: async (record) => {
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        await Promise.race([
          provider.grant(record, signal),
          new Promise((_, reject) =>
            signal.addEventListener('abort', () => reject(new Error('provider timed out'))),
          ),
        ]);
        await grants.markGranted(record.idempotencyKey, new Date());
        return 'granted';
      } catch (error) {
        log.warn({ err: error, key: record.idempotencyKey }, 'reward delivery left pending');
        return 'pending';
      }
    },
  };
}
