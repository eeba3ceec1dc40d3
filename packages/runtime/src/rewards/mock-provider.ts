import type { MockReceiptInput } from '@challenges/db';
import type { RewardProvider } from './reward-provider.ts';

export interface MockRewardProvider extends RewardProvider {
  /** The next `count` grants fail with a retryable error (tests of the retry path). */
  failNext(count: number): void;
  /** Every grant fails until switched off again (tests of the dead letter path). */
  failAlways(on: boolean): void;
}

/**
 * The development and test provider: records each grant once per idempotency key in
 * mock_reward_receipts, so tests count effective grants there.
 */
export function mockRewardProvider(options: {
  receipts: { record(input: MockReceiptInput): Promise<boolean> };
  /** Injected failures at start: a count, or `always`. */
  failures?: number | 'always';
}): MockRewardProvider {
  let always = options.failures === 'always';
  let remaining = typeof options.failures === 'number' ? options.failures : 0;
  return {
    name: 'mock',
    async grant(record) {
      if (always || remaining > 0) {
        remaining = Math.max(0, remaining - 1);
        throw new Error('mock reward provider: injected failure');
      }
      await options.receipts.record({
        idempotencyKey: record.idempotencyKey,
        userId: record.userId,
        rewardType: record.rewardType,
        rewardId: record.rewardId,
        quantity: record.quantity,
      });
    },
    failNext(count) {
      remaining = count;
    },
    failAlways(on) {
      always = on;
    },
  };
}
