import { describe, expect, it } from 'vitest';
import { makeGoal, makeRotation } from '../testing/builders.ts';
import {
  expiresInSeconds,
  goalPeriod,
  nextPeriod,
  type Period,
  periodAt,
} from './rotation-period.ts';

const at = (iso: string) => new Date(iso);
const iso = (period: Period) => [period.start.toISOString(), period.end.toISOString()];
const hours = (period: Period) => (period.end.getTime() - period.start.getTime()) / 3_600_000;

describe('periodAt: daily', () => {
  it('runs from midnight to midnight in UTC, keyed by its start', () => {
    const period = periodAt({ rotation: makeRotation(), now: at('2026-01-10T15:30:00Z') });
    expect(iso(period)).toEqual(['2026-01-10T00:00:00.000Z', '2026-01-11T00:00:00.000Z']);
    expect(period.key).toBe('2026-01-10T00:00:00.000Z');
  });

  it('puts an instant exactly on a boundary in the new period', () => {
    const rotation = makeRotation();
    expect(periodAt({ rotation, now: at('2026-01-11T00:00:00.000Z') }).key).toBe(
      '2026-01-11T00:00:00.000Z',
    );
    expect(periodAt({ rotation, now: at('2026-01-10T23:59:59.999Z') }).key).toBe(
      '2026-01-10T00:00:00.000Z',
    );
  });

  it.each([
    // [zone, an instant on the DST day, start, end, hours]
    [
      'America/New_York',
      '2026-03-08T12:00:00Z',
      '2026-03-08T05:00:00.000Z',
      '2026-03-09T04:00:00.000Z',
      23,
    ],
    [
      'America/New_York',
      '2026-11-01T12:00:00Z',
      '2026-11-01T04:00:00.000Z',
      '2026-11-02T05:00:00.000Z',
      25,
    ],
    [
      'Europe/Berlin',
      '2026-03-29T12:00:00Z',
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
      23,
    ],
    [
      'Europe/Berlin',
      '2026-10-25T12:00:00Z',
      '2026-10-24T22:00:00.000Z',
      '2026-10-25T23:00:00.000Z',
      25,
    ],
    [
      'Pacific/Chatham',
      '2026-04-05T05:00:00Z',
      '2026-04-04T10:15:00.000Z',
      '2026-04-05T11:15:00.000Z',
      25,
    ],
  ])('%s on a DST day (%s) lasts the local day', (timezone, now, start, end, length) => {
    const period = periodAt({ rotation: makeRotation({ timezone }), now: at(now) });
    expect(iso(period)).toEqual([start, end]);
    expect(hours(period)).toBe(length);
  });

  it('follows local midnight in half- and quarter-hour zones', () => {
    // 20:00Z is already 01:30 the next day in India.
    const kolkata = periodAt({
      rotation: makeRotation({ timezone: 'Asia/Kolkata' }),
      now: at('2026-01-01T20:00:00Z'),
    });
    expect(iso(kolkata)).toEqual(['2026-01-01T18:30:00.000Z', '2026-01-02T18:30:00.000Z']);
    const chatham = periodAt({
      rotation: makeRotation({ timezone: 'Pacific/Chatham' }),
      now: at('2026-01-01T12:00:00Z'),
    });
    expect(iso(chatham)).toEqual(['2026-01-01T10:15:00.000Z', '2026-01-02T10:15:00.000Z']);
  });

  it('computes each instant correctly when calls alternate between periods and zones', () => {
    const utc = makeRotation();
    const berlin = makeRotation({ timezone: 'Europe/Berlin' });
    const instants = ['2026-01-10T12:00:00Z', '2026-01-12T12:00:00Z', '2026-01-10T23:30:00Z'];
    const seen = instants.flatMap((now) => [
      periodAt({ rotation: utc, now: at(now) }).key,
      periodAt({ rotation: berlin, now: at(now) }).key,
    ]);
    expect(seen).toEqual([
      '2026-01-10T00:00:00.000Z',
      '2026-01-09T23:00:00.000Z',
      '2026-01-12T00:00:00.000Z',
      '2026-01-11T23:00:00.000Z',
      '2026-01-10T00:00:00.000Z',
      '2026-01-10T23:00:00.000Z',
    ]);
  });
});

describe('periodAt: weekly', () => {
  // 2026-01-07 is a Wednesday.
  const wednesday = at('2026-01-07T12:00:00Z');

  it('starts on Monday by default', () => {
    const period = periodAt({ rotation: makeRotation({ schedule: 'weekly' }), now: wednesday });
    expect(iso(period)).toEqual(['2026-01-05T00:00:00.000Z', '2026-01-12T00:00:00.000Z']);
  });

  it('starts on weekStartsOn', () => {
    const sunday = makeRotation({ schedule: 'weekly', weekStartsOn: 'sunday' });
    expect(iso(periodAt({ rotation: sunday, now: wednesday }))).toEqual([
      '2026-01-04T00:00:00.000Z',
      '2026-01-11T00:00:00.000Z',
    ]);
    const wednesdayStart = makeRotation({ schedule: 'weekly', weekStartsOn: 'wednesday' });
    expect(periodAt({ rotation: wednesdayStart, now: wednesday }).key).toBe(
      '2026-01-07T00:00:00.000Z',
    );
    const thursday = makeRotation({ schedule: 'weekly', weekStartsOn: 'thursday' });
    expect(periodAt({ rotation: thursday, now: wednesday }).key).toBe('2026-01-01T00:00:00.000Z');
  });

  it('begins a new week exactly at the start day midnight', () => {
    const sunday = makeRotation({ schedule: 'weekly', weekStartsOn: 'sunday' });
    expect(periodAt({ rotation: sunday, now: at('2026-01-11T00:00:00Z') }).key).toBe(
      '2026-01-11T00:00:00.000Z',
    );
    const monday = makeRotation({ schedule: 'weekly' });
    expect(periodAt({ rotation: monday, now: at('2026-01-11T23:59:59Z') }).key).toBe(
      '2026-01-05T00:00:00.000Z',
    );
  });

  it('is a week of local days across a DST change', () => {
    const rotation = makeRotation({
      schedule: 'weekly',
      weekStartsOn: 'sunday',
      timezone: 'America/New_York',
    });
    const period = periodAt({ rotation, now: at('2026-03-11T12:00:00Z') });
    expect(iso(period)).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-15T04:00:00.000Z']);
    expect(hours(period)).toBe(7 * 24 - 1);
  });
});

describe('periodAt: monthly', () => {
  const monthly = makeRotation({ schedule: 'monthly' });

  it('runs from the 1st to the 1st of the next month', () => {
    const january = periodAt({ rotation: monthly, now: at('2026-01-31T23:59:59Z') });
    expect(iso(january)).toEqual(['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z']);
    expect(iso(nextPeriod({ rotation: monthly, period: january }))).toEqual([
      '2026-02-01T00:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
    ]);
  });

  it('knows leap years', () => {
    const february = periodAt({ rotation: monthly, now: at('2028-02-29T10:00:00Z') });
    expect(iso(february)).toEqual(['2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z']);
    expect(hours(february)).toBe(29 * 24);
  });

  it('uses local month boundaries', () => {
    const newYork = makeRotation({ schedule: 'monthly', timezone: 'America/New_York' });
    // Still February in New York.
    expect(iso(periodAt({ rotation: newYork, now: at('2026-03-01T03:00:00Z') }))).toEqual([
      '2026-02-01T05:00:00.000Z',
      '2026-03-01T05:00:00.000Z',
    ]);
    expect(iso(periodAt({ rotation: newYork, now: at('2026-03-15T00:00:00Z') }))).toEqual([
      '2026-03-01T05:00:00.000Z',
      '2026-04-01T04:00:00.000Z',
    ]);
  });
});

describe('nextPeriod', () => {
  it('starts where the period ends, also after a short DST day', () => {
    const rotation = makeRotation({ timezone: 'America/New_York' });
    const current = periodAt({ rotation, now: at('2026-03-08T12:00:00Z') });
    expect(iso(nextPeriod({ rotation, period: current }))).toEqual([
      '2026-03-09T04:00:00.000Z',
      '2026-03-10T04:00:00.000Z',
    ]);
  });
});

describe('goalPeriod', () => {
  it('is null for goals that do not rotate', () => {
    expect(goalPeriod({ goal: makeGoal(), now: at('2026-01-10T00:00:00Z') })).toBeNull();
  });

  it('is the period of the goal rotation', () => {
    const goal = makeGoal({ rotation: makeRotation({ schedule: 'weekly' }) });
    expect(goalPeriod({ goal, now: at('2026-01-07T12:00:00Z') })?.key).toBe(
      '2026-01-05T00:00:00.000Z',
    );
  });
});

describe('expiresInSeconds', () => {
  const period = periodAt({ rotation: makeRotation(), now: at('2026-01-10T12:00:00Z') });

  it('rounds up to whole seconds', () => {
    expect(expiresInSeconds(period, at('2026-01-10T23:59:58.800Z'))).toBe(2);
    expect(expiresInSeconds(period, at('2026-01-10T12:00:00Z'))).toBe(12 * 3600);
  });

  it('is never negative', () => {
    expect(expiresInSeconds(period, at('2026-01-11T00:00:00Z'))).toBe(0);
    expect(expiresInSeconds(period, at('2026-01-12T00:00:00Z'))).toBe(0);
  });
});
