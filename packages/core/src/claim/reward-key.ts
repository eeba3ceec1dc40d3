/**
 * Reward grant idempotency keys: `<user>:<goal>:<period>`, with `%` and `:` percent-encoded in
 * the user and goal parts. The period is the last part and is written as is (its ISO string
 * contains `:`): the first two raw `:` always delimit user and goal, so two different claims can
 * never share a key. Ids without `%` or `:` — nearly all of them — give exactly the key of the
 * first, unencoded format (`user:goal:period`), so keys stored before the encoding keep working.
 */

const ONCE = 'once';

/** One user or goal part of a key: `%` → `%25`, `:` → `%3A`. */
export function encodeRewardKeyPart(part: string): string {
  return part.replaceAll('%', '%25').replaceAll(':', '%3A');
}

/**
 * Key of the reward grant of one claim: one grant per goal per period (`once` for goals that do
 * not rotate), so a retried or concurrent claim can never grant twice.
 */
export function rewardIdempotencyKey({
  userId,
  goalId,
  periodKey,
}: {
  userId: string;
  goalId: string;
  periodKey: string | null;
}): string {
  return `${encodeRewardKeyPart(userId)}:${encodeRewardKeyPart(goalId)}:${periodKey ?? ONCE}`;
}

/**
 * The key the first format gave the same claim (parts joined unencoded). Ambiguous when an id
 * contains `:`, so it may only be used together with the grant's own user and goal columns.
 */
export function legacyRewardIdempotencyKey({
  userId,
  goalId,
  periodKey,
}: {
  userId: string;
  goalId: string;
  periodKey: string | null;
}): string {
  return `${userId}:${goalId}:${periodKey ?? ONCE}`;
}

/**
 * The period part of a stored key (either format) of the grant of `userId` and `goalId`: null
 * for `once` (as a row's period), undefined when the key is not one of theirs.
 */
export function rewardKeyPeriod({
  key,
  userId,
  goalId,
}: {
  key: string;
  userId: string;
  goalId: string;
}): string | null | undefined {
  for (const prefix of [
    `${encodeRewardKeyPart(userId)}:${encodeRewardKeyPart(goalId)}:`,
    `${userId}:${goalId}:`,
  ]) {
    if (key.startsWith(prefix)) {
      const period = key.slice(prefix.length);
      return period === ONCE ? null : period;
    }
  }
  return undefined;
}
