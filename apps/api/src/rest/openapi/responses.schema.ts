import type { CoreErrorCode } from '@challenges/core';
import { z } from 'zod';
import { ERROR_TABLE } from '../../errors/error-table.ts';

/**
 * The JSON the REST routes answer (docs/api.md, docs/events.md, docs/dashboard.md), for the OpenAPI document. The bodies are
 * written by core's byte encoders and small shaping functions, not parsed: openapi's
 * integration test holds every documented answer to these schemas, so they cannot drift.
 */
export const components = z.registry<{ id: string }>();

const ZTimestamp = z.string().describe('RFC 3339 UTC, or "" when unset');
// The player API's numbers are proto3 int32 (docs/api.md).
const int = () => z.int32();

export const ZRequirement = z
  .object({ statCode: z.string(), operator: z.literal('>='), targetValue: int() })
  .register(components, { id: 'Requirement' });

export const ZReward = z
  .object({ type: z.enum(['ITEM', 'WALLET']), rewardId: z.string(), quantity: int() })
  .register(components, { id: 'Reward' });

export const ZGoalStatus = z
  .enum(['not_started', 'in_progress', 'completed', 'claimed'])
  .register(components, { id: 'GoalStatus' });

export const ZGoal = z
  .object({
    goalId: z.string(),
    variantId: z
      .string()
      .optional()
      .describe("the goal's A/B variant this player plays; only on goals with variants"),
    name: z.string(),
    description: z.string(),
    requirement: ZRequirement,
    reward: ZReward,
    prerequisites: z.array(z.string()),
    locked: z.boolean().describe('a prerequisite is not completed or claimed yet'),
    progress: int(),
    status: ZGoalStatus,
    completedAt: ZTimestamp,
    claimedAt: ZTimestamp,
    isActive: z.boolean(),
    expiresAt: ZTimestamp.describe('end of the current rotation period; "" without rotation'),
    expiresInSeconds: int().describe('0 without rotation'),
    ended: z
      .literal(true)
      .optional()
      .describe(
        'present once the goal’s schedule has ended: progress frozen, claimable until schedule.claimUntil',
      ),
  })
  .register(components, { id: 'Goal' });

export const ZChallenge = z
  .object({
    challengeId: z.string(),
    name: z.string(),
    description: z.string(),
    goals: z.array(ZGoal),
  })
  .register(components, { id: 'Challenge' });

export const ZGetChallengesResponse = z
  .object({ challenges: z.array(ZChallenge) })
  .register(components, { id: 'GetChallengesResponse' });

/** A player's assignment of one goal, as initialize and goal selection answer it. */
const assignmentFields = {
  goalId: z.string(),
  variantId: z
    .string()
    .optional()
    .describe("the goal's A/B variant this player plays; only on goals with variants"),
  name: z.string(),
  description: z.string(),
  requirement: ZRequirement,
  reward: ZReward,
  status: ZGoalStatus,
  progress: int(),
  target: int(),
  isActive: z.boolean(),
  assignedAt: ZTimestamp,
  expiresAt: ZTimestamp,
};

export const ZAssignedGoal = z
  .object({ challengeId: z.string(), ...assignmentFields })
  .register(components, { id: 'AssignedGoal' });

export const ZInitializeResponse = z
  .object({
    assignedGoals: z.array(ZAssignedGoal).describe('every active assignment'),
    newAssignments: int().describe('rows created by this call'),
    totalActive: int(),
  })
  .register(components, { id: 'InitializeResponse' });

export const ZSetGoalActiveResponse = z
  .object({
    challengeId: z.string(),
    goalId: z.string(),
    isActive: z.boolean(),
    assignedAt: ZTimestamp,
    message: z.enum(['Goal activated successfully', 'Goal deactivated successfully']),
  })
  .register(components, { id: 'SetGoalActiveResponse' });

export const ZClaimRewardResponse = z
  .object({
    goalId: z.string(),
    status: z.literal('claimed'),
    reward: ZReward,
    claimedAt: ZTimestamp,
    delivery: z
      .enum(['granted', 'pending'])
      .describe('pending: the provider did not answer in time; the worker retries the grant'),
    variantId: z.string().optional().describe('the A/B variant whose reward was granted'),
  })
  .register(components, { id: 'ClaimRewardResponse' });

export const ZSelectedGoal = z
  .object(assignmentFields)
  .register(components, { id: 'SelectedGoal' });

export const ZGoalSelectionResponse = z
  .object({
    selectedGoals: z.array(ZSelectedGoal),
    challengeId: z.string(),
    totalActiveGoals: int().describe('active goals of this challenge'),
    replacedGoals: z.array(z.string()),
  })
  .register(components, { id: 'GoalSelectionResponse' });

export const ZRotationPeriod = z
  .object({ startTime: ZTimestamp, endTime: ZTimestamp, expiresInSeconds: int() })
  .register(components, { id: 'RotationPeriod' });

export const ZRotationStatusResponse = z
  .object({
    challengeId: z.string(),
    rotation: z
      .object({
        enabled: z.boolean(),
        type: z.enum(['global', '']),
        schedule: z.enum(['daily', 'weekly', 'monthly', '']),
        timezone: z.string().describe('IANA zone; "" when disabled'),
        currentPeriod: ZRotationPeriod.nullable(),
        nextPeriod: ZRotationPeriod.nullable(),
      })
      .register(components, { id: 'RotationInfo' }),
  })
  .register(components, { id: 'RotationStatusResponse' });

export const ZHealthResponse = z
  .object({
    status: z.enum(['healthy', 'unhealthy']),
    checks: z
      .record(z.string(), z.enum(['ok', 'unavailable']))
      .optional()
      .describe('with 503 only: each dependency, ok or unavailable'),
  })
  .register(components, { id: 'HealthResponse' });

export const ZDeletePlayerDataResponse = z
  .object({ deletedRows: int().describe('progress rows removed') })
  .register(components, { id: 'DeletePlayerDataResponse' });

export const ZEventsAccepted = z
  .object({
    accepted: int().describe('durably queued (duplicates included: dropped when applied)'),
    skipped: int().describe('another namespace, or no goal tracks the stat'),
  })
  .register(components, { id: 'EventsAccepted' });

export const ZClockState = z
  .object({ offsetSeconds: int(), now: ZTimestamp })
  .register(components, { id: 'ClockState' });

export const ZProfileResult = z
  .object({
    profileId: z.string().describe('download id: GET admin/v1/profiles/{id}'),
    processId: z.string(),
    kind: z.enum(['cpu', 'heap']),
    seconds: int(),
    summary: z.record(z.string(), z.unknown()).describe('top functions, self and total %'),
  })
  .register(components, { id: 'ProfileResult' });

const ERROR_CODES = Object.keys(ERROR_TABLE) as [CoreErrorCode, ...CoreErrorCode[]];

export const ZErrorBody = z
  .object({
    code: int().describe('the gRPC status code the same refusal has over gRPC'),
    errorCode: z.enum(ERROR_CODES).describe('stable name of the refusal'),
    message: z.string(),
    details: z
      .array(z.looseObject({ '@type': z.string() }))
      .describe('google.protobuf.Any messages, as gRPC status details (empty today)'),
  })
  .register(components, { id: 'Error' });
