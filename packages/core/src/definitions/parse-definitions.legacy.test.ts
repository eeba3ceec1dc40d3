import { describe, expect, it } from 'vitest';
import { goalError, problemsOf, type Raw, rawFile, rawGoal } from '../testing/raw-definitions.ts';
import { parseDefinitions } from './parse-definitions.ts';

describe('parseDefinitions: legacy keys', () => {
  const parseGoal = (overrides: Raw) =>
    parseDefinitions(rawFile([rawGoal(overrides)])).goalsById.get('g1')!;

  it('type absolute means absolute', () => {
    expect(parseGoal({ type: 'absolute' }).requirement.progressMode).toBe('absolute');
  });

  it('type increment means increment, with daily: true at most once a day', () => {
    const plain = parseGoal({ type: 'increment' });
    expect(plain.requirement.progressMode).toBe('increment');
    expect(plain.dailyIncrement).toBe(false);
    const daily = parseGoal({ type: 'increment', daily: true });
    expect(daily.requirement.progressMode).toBe('increment');
    expect(daily.dailyIncrement).toBe(true);
  });

  it('daily: true does nothing outside increment mode', () => {
    expect(parseGoal({ type: 'absolute', daily: true }).dailyIncrement).toBe(false);
  });

  it('type daily completes on the first event and rotates daily from a clean slate', () => {
    const goal = parseGoal({ type: 'daily' });
    expect(goal.completesOnFirstEvent).toBe(true);
    expect(goal.requirement.progressMode).toBe('absolute');
    expect(goal.rotation).toEqual({
      schedule: 'daily',
      timezone: 'UTC',
      weekStartsOn: 'monday',
      resetProgress: true,
      allowReselection: true,
    });
  });

  it('an explicit progressMode wins over the legacy type', () => {
    const goal = parseGoal({
      type: 'absolute',
      requirement: { statCode: 'kills', operator: '>=', targetValue: 10, progressMode: 'relative' },
    });
    expect(goal.requirement.progressMode).toBe('relative');
    const increment = parseGoal({
      type: 'increment',
      daily: true,
      requirement: { statCode: 'kills', operator: '>=', targetValue: 10, progressMode: 'absolute' },
    });
    expect(increment.requirement.progressMode).toBe('absolute');
    expect(increment.dailyIncrement).toBe(false);
  });

  it('type daily stays daily whatever progressMode says, and may take an explicit rotation', () => {
    const goal = parseGoal({
      type: 'daily',
      requirement: { statCode: 'kills', operator: '>=', targetValue: 3, progressMode: 'absolute' },
      rotation: { schedule: 'daily', timezone: 'Europe/Berlin', onExpiry: { resetProgress: true } },
    });
    expect(goal.completesOnFirstEvent).toBe(true);
    expect(goal.rotation?.timezone).toBe('Europe/Berlin');
  });
});

describe('parseDefinitions: rotation', () => {
  const relative = { statCode: 'kills', operator: '>=', targetValue: 10, progressMode: 'relative' };
  const parseRotation = (rotation: unknown) =>
    parseDefinitions(rawFile([rawGoal({ requirement: relative, rotation })])).goalsById.get('g1')!
      .rotation;

  it('fills defaults', () => {
    expect(parseRotation({ schedule: 'weekly' })).toEqual({
      schedule: 'weekly',
      timezone: 'UTC',
      weekStartsOn: 'monday',
      resetProgress: false,
      allowReselection: false,
    });
  });

  it('keeps what is given', () => {
    expect(
      parseRotation({
        enabled: true,
        type: 'global',
        schedule: 'monthly',
        timezone: 'Asia/Kolkata',
        weekStartsOn: 'sunday',
        onExpiry: { resetProgress: true, allowReselection: true },
      }),
    ).toEqual({
      schedule: 'monthly',
      timezone: 'Asia/Kolkata',
      weekStartsOn: 'sunday',
      resetProgress: true,
      allowReselection: true,
    });
  });

  it('enabled: false means no rotation, whatever else the object says', () => {
    expect(parseRotation({ enabled: false, schedule: 'hourly' })).toBeNull();
  });

  it('requires progressMode relative or increment', () => {
    expect(problemsOf(rawFile([rawGoal({ rotation: { schedule: 'daily' } })]))).toEqual([
      goalError('rotation requires progressMode relative or increment'),
    ]);
    const increment = { ...relative, progressMode: 'increment' };
    expect(
      parseDefinitions(
        rawFile([rawGoal({ requirement: increment, rotation: { schedule: 'daily' } })]),
      ).goalsById.get('g1')!.rotation?.schedule,
    ).toBe('daily');
  });

  it.each([
    [{ schedule: 'hourly' }, "schedule must be one of 'daily', 'weekly', 'monthly'"],
    [
      { schedule: 'daily', timezone: 'Mars/Olympus' },
      "timezone 'Mars/Olympus' is not a valid IANA time zone",
    ],
    [{ schedule: 'daily', timezone: '' }, 'timezone must not be empty'],
    [{ schedule: 'weekly', weekStartsOn: 'Monday' }, 'weekStartsOn must be one of'],
    [{ schedule: 'daily', type: 'per-user' }, "type must be 'global'"],
    [{}, 'schedule is required'],
  ])('rejects %j', (rotation, message) => {
    const [problem] = problemsOf(rawFile([rawGoal({ requirement: relative, rotation })]));
    expect(problem).toContain(goalError(message));
  });
});
