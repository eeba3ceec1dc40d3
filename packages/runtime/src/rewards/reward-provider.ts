import type { RewardGrant } from '@challenges/db';

/** What a provider delivers: the grant as recorded at claim time. */
export type GrantRecord = Pick<
  RewardGrant,
  | 'idempotencyKey'
  | 'userId'
  | 'goalId'
  | 'challengeId'
  | 'rewardType'
  | 'rewardId'
  | 'quantity'
  | 'createdAt'
>;

/**
 * A reward backend. `grant` resolves once the reward is effectively granted (an "already
 * granted" answer counts) and must be idempotent per `idempotencyKey`: after a crash the same
 * grant is sent again with the same key.
 */
export interface RewardProvider {
  readonly name: string;
  grant(record: GrantRecord, signal: AbortSignal): Promise<void>;
}

/** A failed delivery; `permanent` ones (e.g. a 404 from the game backend) are never retried. */
export class RewardDeliveryError extends Error {
  override readonly name = 'RewardDeliveryError';
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** The JSON a game backend receives (webhook provider); also what tests compare against. */
export function rewardPayload(record: GrantRecord) {
  return {
    idempotencyKey: record.idempotencyKey,
    userId: record.userId,
    goalId: record.goalId,
    challengeId: record.challengeId,
    reward: { type: record.rewardType, rewardId: record.rewardId, quantity: record.quantity },
    claimedAt: record.createdAt.toISOString(),
  };
}

/**
 * The HTTP answer rule shared by webhook and AGS calls: 408, 429 and 5xx are worth retrying,
 * any other 4xx will not get better by waiting.
 */
export async function raiseForStatus(what: string, response: Response): Promise<void> {
  if (response.ok) return;
  const text = (await response.text().catch(() => '')).slice(0, 200);
  const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
  throw new RewardDeliveryError(
    `${what} answered ${response.status}${text ? `: ${text}` : ''}`,
    !retryable,
  );
}
