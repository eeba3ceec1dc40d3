import type { PrismaClient } from '../generated/prisma/client.ts';
import type { RewardGrant, RewardGrantStatus } from './reward-grant.types.ts';

export interface RewardGrantEvent {
  id: string;
  grantId: string;
  at: Date;
  fromStatus: RewardGrantStatus;
  toStatus: RewardGrantStatus;
  attempt: number;
  error: string | null;
  actor: string;
}

export interface ListGrantsInput {
  status?: RewardGrantStatus;
  userId?: string;
  goalId?: string;
  limit: number;
  /** The id of the last grant of the previous page (grants come newest first). */
  cursor?: string;
}

/** The dashboard's read of reward grants: pages of grants and each grant's audit trail. */
export interface RewardGrantListing {
  list(input: ListGrantsInput): Promise<{ items: RewardGrant[]; nextCursor: string | null }>;
  events(grantId: string): Promise<RewardGrantEvent[]>;
}

const GRANT_SELECT = {
  id: true,
  idempotencyKey: true,
  userId: true,
  goalId: true,
  challengeId: true,
  rewardType: true,
  rewardId: true,
  quantity: true,
  provider: true,
  status: true,
  attempts: true,
  lastError: true,
  nextAttemptAt: true,
  createdAt: true,
  updatedAt: true,
  grantedAt: true,
  claimedAt: true,
  erasedAt: true,
} as const;

export function createRewardGrantListing(prisma: PrismaClient): RewardGrantListing {
  return {
    async list({ status, userId, goalId, limit, cursor }) {
      const rows = await prisma.rewardGrant.findMany({
        select: GRANT_SELECT,
        where: {
          status,
          userId,
          goalId,
          id: cursor === undefined ? undefined : { lt: BigInt(cursor) },
        },
        orderBy: { id: 'desc' },
        take: limit + 1,
      });
      const items = rows.slice(0, limit).map(
        (row): RewardGrant => ({
          ...row,
          // bigint ids travel as strings, as the pg repositories return them.
          id: String(row.id),
          status: row.status as RewardGrantStatus,
          // Grants recorded before claimed_at existed were written in the claim's transaction.
          claimedAt: row.claimedAt ?? row.createdAt,
        }),
      );
      return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
    },

    async events(grantId) {
      const rows = await prisma.rewardGrantEvent.findMany({
        where: { grantId: BigInt(grantId) },
        orderBy: [{ at: 'asc' }, { id: 'asc' }],
      });
      return rows.map((row) => ({
        ...row,
        id: String(row.id),
        grantId: String(row.grantId),
        fromStatus: row.fromStatus as RewardGrantStatus,
        toStatus: row.toStatus as RewardGrantStatus,
      }));
    },
  };
}
