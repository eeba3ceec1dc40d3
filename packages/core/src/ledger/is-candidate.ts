import type { LedgerReadings, StoredAssignment } from './ledger.types.ts';

type CandidateFields = Pick<
  StoredAssignment,
  'isActive' | 'expiresAt' | 'periodKey' | 'unit' | 'threshold'
>;

/**
 * Whether an event batch must read, run the oracle on and re-anchor this row; every other row
 * of the key follows the new ledger by derivation alone. `readings` are the batch's readings of
 * the row's (player, stat key) — only keys with events are asked. The SQL mirrors it exactly,
 * for the rows `WHERE user_id = $u AND stat_key = $k`:
 *
 *   is_active AND (
 *        expires_at <= $now                        -- (1) its period is over
 *     OR period_key > $now_iso                     -- (2) its period has not begun (QA clock
 *                                                  --     moved back): stale as well
 *     OR (unit = 'value' AND threshold <= $max_value)   -- (3) NULL $max_value: no value carried
 *     OR (unit = 'steps' AND threshold <= $steps)
 *     OR (unit = 'days'  AND threshold <= $days)
 *   )
 *
 * NULL expires_at / period_key (no rotation) and NULL threshold never match; -Infinity matches
 * any non-NULL reading. (2) compares ISO-8601 strings of one fixed width, so text order is
 * time order (use COLLATE "C", or compare `period_key::timestamptz`). Served by partial
 * indexes WHERE is_active on (user_id, stat_key, unit, threshold) and (user_id, stat_key,
 * expires_at); (2) only ever matches under a rewound QA clock and may use its own probe.
 * A false positive costs one read; a false negative breaks the derivation — so any change
 * here must keep the oracle property test green.
 */
export function isCandidate({
  stored,
  readings,
  now,
}: {
  stored: CandidateFields;
  readings: LedgerReadings;
  now: Date;
}): boolean {
  if (!stored.isActive) return false;
  if (stored.expiresAt !== null && stored.expiresAt.getTime() <= now.getTime()) return true;
  if (stored.periodKey !== null && stored.periodKey > now.toISOString()) return true;
  if (stored.threshold === null) return false;
  const reading =
    stored.unit === 'value'
      ? readings.value
      : stored.unit === 'steps'
        ? readings.steps
        : readings.days;
  return reading !== null && reading >= stored.threshold;
}
