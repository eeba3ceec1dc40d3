import type { RewardGrant } from '@challenges/db';
import type { RewardDelivery } from '@challenges/runtime';
import type { Logger } from 'pino';

export type DeliveryOutcome = 'granted' | 'pending';

/** The claim's view of delivery: one attempt right after the commit (docs/rewards.md). */
export interface InlineRewardDelivery {
  readonly provider: string;
  /**
   * Never throws: anything but a recorded success leaves the grant to the worker's retries.
   * `actor` names who tried in the audit trail (`api` for claims, `erasure` for data deletion).
   */
  deliverNow(grant: RewardGrant, actor?: string): Promise<DeliveryOutcome>;
}

export function inlineRewardDelivery(options: {
  delivery: RewardDelivery;
  timeoutMs: number;
  log: Logger;
}): InlineRewardDelivery {
  const { delivery, timeoutMs, log } = options;
  return {
    provider: delivery.provider,
    async deliverNow(grant, actor = 'api') {
      try {
        const outcome = await delivery.attempt(grant, { timeoutMs, actor });
        return outcome === 'granted' ? 'granted' : 'pending';
      } catch (error) {
        log.warn({ err: error, key: grant.idempotencyKey }, 'inline reward attempt not recorded');
        return 'pending';
      }
    },
  };
}
