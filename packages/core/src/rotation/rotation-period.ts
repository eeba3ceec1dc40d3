import { DateTime } from 'luxon';
import type { GoalDef, Rotation, WeekDay } from '../definitions/definitions.types.ts';

export interface Period {
  start: Date;
  end: Date;
  /** start as an ISO string: identifies the period in progress rows and idempotency keys. */
  key: string;
}

const WEEKDAY_NUMBER: Record<WeekDay, number> = {
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
  sunday: 7,
};

function toPeriod(start: DateTime, end: DateTime): Period {
  const startDate = start.toJSDate();
  return Object.freeze({ start: startDate, end: end.toJSDate(), key: startDate.toISOString() });
}

// Listing 500 goals computes 500 periods that are nearly all the same few; the zone arithmetic
// costs microseconds each, a lookup nanoseconds. The period containing an instant is a pure
// function of the rotation's settings, so the last period per setting is a safe cache.
const lastPeriods = new Map<string, Period>();
const MAX_CACHED_SETTINGS = 256;

function cacheKey(rotation: Rotation): string {
  return `${rotation.schedule}|${rotation.timezone}|${rotation.weekStartsOn}`;
}

/**
 * The rotation period containing `now`, in the rotation's time zone. Local calendar arithmetic
 * (luxon in the zone) rather than fixed 24 h steps, so DST days last 23 or 25 hours; an instant
 * exactly on a boundary belongs to the period that starts there.
 */
export function periodAt({ rotation, now }: { rotation: Rotation; now: Date }): Period {
  const key = cacheKey(rotation);
  const cached = lastPeriods.get(key);
  const time = now.getTime();
  if (cached && cached.start.getTime() <= time && time < cached.end.getTime()) return cached;
  const period = computePeriod(rotation, now);
  if (lastPeriods.size >= MAX_CACHED_SETTINGS && !lastPeriods.has(key)) lastPeriods.clear();
  lastPeriods.set(key, period);
  return period;
}

function computePeriod(rotation: Rotation, now: Date): Period {
  const local = DateTime.fromJSDate(now, { zone: rotation.timezone });
  switch (rotation.schedule) {
    case 'daily': {
      const start = local.startOf('day');
      return toPeriod(start, start.plus({ days: 1 }).startOf('day'));
    }
    case 'weekly': {
      const back = (local.weekday - WEEKDAY_NUMBER[rotation.weekStartsOn] + 7) % 7;
      const start = local.startOf('day').minus({ days: back }).startOf('day');
      return toPeriod(start, start.plus({ weeks: 1 }).startOf('day'));
    }
    case 'monthly': {
      const start = local.startOf('month');
      return toPeriod(start, start.plus({ months: 1 }).startOf('month'));
    }
  }
}

/** The period right after `period`. */
export function nextPeriod({ rotation, period }: { rotation: Rotation; period: Period }): Period {
  return periodAt({ rotation, now: period.end });
}

/** The goal's period current at `now`; null for goals that do not rotate. */
export function goalPeriod({ goal, now }: { goal: GoalDef; now: Date }): Period | null {
  return goal.rotation === null ? null : periodAt({ rotation: goal.rotation, now });
}

/** Whole seconds until the period ends, rounded up so a client never sees 0 too early. */
export function expiresInSeconds(period: Period, now: Date): number {
  return Math.max(0, Math.ceil((period.end.getTime() - now.getTime()) / 1000));
}
