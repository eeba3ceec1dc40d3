import { randomUUID } from 'node:crypto';
import { CoreError, type Definitions, type GameEvent } from '@challenges/core';
import type { UserLoggedIn } from '../gen/accelbyte/iam/account/v1/account.js';
import type { StatItemUpdated } from '../gen/accelbyte/social/statistic/v1/statistic.js';
import type { SkipReason } from '../metrics/metrics.ts';

/** Bounds of the queued contract (ZGameEvent); checked here so the worker never sees a bad job. */
const MAX_ID = 128;
const MAX_TIMESTAMP = 64;

function requireId(value: string, field: string): string {
  if (value === '') throw new CoreError('INVALID_ARGUMENT', `${field} must not be empty`);
  if (value.length > MAX_ID) {
    throw new CoreError('INVALID_ARGUMENT', `${field} must be at most ${MAX_ID} characters`);
  }
  return value;
}

// proto3 cannot tell an unset id from an empty one; the platform always sends one, and an event
// without it is still applied (it just cannot be deduplicated).
const eventId = (id: string) => (id === '' ? `ingest-${randomUUID()}` : requireId(id, 'id'));
// The producer's timestamp only feeds lag metrics, so an oversized one is dropped, not refused.
const timestampOf = (t: string) => (t === '' || t.length > MAX_TIMESTAMP ? undefined : t);

export function fromUserLoggedIn(message: UserLoggedIn, receivedAt: number): GameEvent {
  return {
    type: 'login',
    id: eventId(message.id),
    userId: requireId(message.userId, 'user_id'),
    timestamp: timestampOf(message.timestamp),
    receivedAt,
  };
}

export function fromStatItemUpdated(message: StatItemUpdated, receivedAt: number): GameEvent {
  const payload = message.payload;
  const userId = requireId(message.userId, 'user_id');
  const statCode = requireId(payload?.statCode ?? '', 'payload.stat_code');
  const value = payload?.latestValue ?? 0;
  const inc = payload?.inc ?? 0;
  if (!Number.isFinite(value) || !Number.isFinite(inc)) {
    throw new CoreError('INVALID_ARGUMENT', 'latest_value and inc must be finite numbers');
  }
  // proto3 doubles have no presence: both are always set and the goal's mode picks one.
  return {
    type: 'stat',
    id: eventId(message.id),
    userId,
    statCode,
    value,
    inc,
    timestamp: timestampOf(message.timestamp),
    receivedAt,
  };
}

/**
 * Why an acknowledged event is not queued, or undefined when it is. Only the live definitions
 * decide: an event no goal can use would cost the worker a job for nothing.
 */
export function skipReason(
  event: GameEvent,
  namespace: string | undefined,
  expectedNamespace: string,
  definitions: Definitions,
): SkipReason | undefined {
  if (namespace !== undefined && namespace !== expectedNamespace) return 'namespace';
  if (event.type === 'login')
    return definitions.loginGoals.length === 0 ? 'no_login_goals' : undefined;
  return definitions.goalsByStatCode.has(event.statCode) ? undefined : 'unknown_stat';
}
