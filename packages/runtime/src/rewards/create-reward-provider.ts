import type { MockReceiptInput } from '@challenges/db';
import { accelbyteRewardProvider } from './accelbyte-provider.ts';
import { mockRewardProvider } from './mock-provider.ts';
import {
  type RewardDelivery,
  type RewardDeliveryConfig,
  rewardDelivery,
} from './reward-delivery.ts';
import type { RewardProvider } from './reward-provider.ts';
import { webhookRewardProvider } from './webhook-provider.ts';

/** The reward settings both apps' env modules validate (docs/operations.md). */
export interface RewardProviderSettings {
  REWARD_PROVIDER: 'mock' | 'webhook' | 'accelbyte';
  REWARD_WEBHOOK_URL?: string;
  REWARD_WEBHOOK_SECRET?: string;
  AB_BASE_URL?: string;
  AB_CLIENT_ID?: string;
  AB_CLIENT_SECRET?: string;
  NAMESPACE: string;
  /** `mock` only: a number of injected failures, or `always`. */
  MOCK_REWARD_FAILURES?: string;
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is required for this REWARD_PROVIDER`);
  return value;
}

export function createRewardProvider(
  settings: RewardProviderSettings,
  receipts: { record(input: MockReceiptInput): Promise<boolean> },
): RewardProvider {
  switch (settings.REWARD_PROVIDER) {
    case 'webhook':
      return webhookRewardProvider({
        url: required(settings.REWARD_WEBHOOK_URL, 'REWARD_WEBHOOK_URL'),
        secret: required(settings.REWARD_WEBHOOK_SECRET, 'REWARD_WEBHOOK_SECRET'),
      });
    case 'accelbyte':
      return accelbyteRewardProvider({
        baseUrl: required(settings.AB_BASE_URL, 'AB_BASE_URL').replace(/\/+$/, ''),
        clientId: required(settings.AB_CLIENT_ID, 'AB_CLIENT_ID'),
        clientSecret: required(settings.AB_CLIENT_SECRET, 'AB_CLIENT_SECRET'),
        namespace: settings.NAMESPACE,
      });
    default: {
      const failures = settings.MOCK_REWARD_FAILURES;
      return mockRewardProvider({
        receipts,
        failures: failures === 'always' ? 'always' : failures ? Number(failures) : 0,
      });
    }
  }
}

/** The delivery both apps build from the same settings: provider, retry budget and backoff. */
export function rewardDeliveryFromSettings(options: {
  settings: RewardProviderSettings & {
    REWARD_MAX_ATTEMPTS: number;
    REWARD_BACKOFF_BASE_MS: number;
    REWARD_BACKOFF_CAP_MS: number;
  };
  receipts: { record(input: MockReceiptInput): Promise<boolean> };
  deliveries: RewardDeliveryConfig['deliveries'];
  log: RewardDeliveryConfig['log'];
  onAttempt?: RewardDeliveryConfig['onAttempt'];
}): RewardDelivery {
  const { settings } = options;
  return rewardDelivery({
    provider: createRewardProvider(settings, options.receipts),
    deliveries: options.deliveries,
    log: options.log,
    maxAttempts: settings.REWARD_MAX_ATTEMPTS,
    backoffBaseMs: settings.REWARD_BACKOFF_BASE_MS,
    backoffCapMs: settings.REWARD_BACKOFF_CAP_MS,
    ...(options.onAttempt ? { onAttempt: options.onAttempt } : {}),
  });
}
