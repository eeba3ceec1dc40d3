import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffDefinitions } from '../definitions/diff-definitions.ts';
import {
  definitionProblems,
  parseDefinitions,
  parseDefinitionsJson,
} from '../definitions/parse-definitions.ts';
import { serializeDefinitions } from '../definitions/serialize-definitions.ts';
import { isCoreError } from '../errors.ts';
import {
  checkClaimWindow,
  checkGoalsOpen,
  definitionsAt,
  goalWindow,
  hasSchedules,
  nextScheduleBoundary,
} from './resolve-schedule.ts';

const fixture = new URL('../../../../fixtures/challenges.schedule.json', import.meta.url);
const text = readFileSync(fixture, 'utf8');
const defs = parseDefinitionsJson(text);
const at = (iso: string) => new Date(iso);

function file(schedule: unknown, goalSchedule?: unknown) {
  return {
    challenges: [
      {
        challengeId: 'c',
        name: 'C',
        ...(schedule === undefined ? {} : { schedule }),
        goals: [
          {
            goalId: 'g',
            name: 'G',
            eventSource: 'login',
            requirement: { targetValue: 1 },
            reward: { type: 'ITEM', rewardId: 'r', quantity: 1 },
            ...(goalSchedule === undefined ? {} : { schedule: goalSchedule }),
          },
        ],
      },
    ],
  };
}

describe('schedule in the definitions', () => {
  it('the example file loads and round-trips through export and JSON', () => {
    const again = parseDefinitions(JSON.parse(JSON.stringify(serializeDefinitions(defs))));
    expect(again).toEqual(defs);
    expect(defs.challengesById.get('winter-event')?.schedule?.claimUntil).toEqual(
      at('2027-01-07T23:59:59Z'),
    );
    // Offsets are kept as instants: midnight in Berlin is 23:00 UTC the day before.
    expect(defs.goalsById.get('winter-christmas-eve')?.schedule?.startsAt).toEqual(
      at('2026-12-23T23:00:00Z'),
    );
    expect(defs.goalsById.get('launch-level')?.schedule).toBeUndefined();
    expect(hasSchedules(defs)).toBe(true);
  });

  it('a file without schedules is returned as it is at any time', () => {
    const plain = parseDefinitions(file(undefined));
    expect(hasSchedules(plain)).toBe(false);
    expect(definitionsAt(plain, at('2030-01-01T00:00:00Z'))).toBe(plain);
    expect(serializeDefinitions(plain).challenges[0]).not.toHaveProperty('schedule');
  });

  it('names challenge, goal and what is wrong', () => {
    expect(definitionProblems(file({ startsAt: 'tomorrow' }))).toEqual([
      "invalid challenge 'c': schedule.startsAt must be an RFC 3339 time with an offset (e.g. 2026-12-24T18:00:00Z)",
    ]);
    expect(
      definitionProblems(
        file({ startsAt: '2026-12-10T00:00:00Z', endsAt: '2026-12-10T00:00:00Z' }),
      ),
    ).toEqual(["invalid challenge 'c': schedule.endsAt must be after schedule.startsAt"]);
    expect(definitionProblems(file(undefined, { claimUntil: '2026-12-10T00:00:00Z' }))).toEqual([
      "invalid goal 'g' in challenge 'c': schedule.claimUntil requires schedule.endsAt",
    ]);
    expect(
      definitionProblems(
        file(undefined, { endsAt: '2026-12-10T00:00:00Z', claimUntil: '2026-12-09T00:00:00Z' }),
      ),
    ).toEqual([
      "invalid goal 'g' in challenge 'c': schedule.claimUntil must not be before schedule.endsAt",
    ]);
    expect(
      definitionProblems(
        file({ endsAt: '2026-12-10T00:00:00Z' }, { startsAt: '2026-12-11T00:00:00Z' }),
      ),
    ).toEqual([
      "invalid goal 'g' in challenge 'c': schedule does not overlap its challenge's schedule (the goal would never be open)",
    ]);
  });

  it('the diff reports a schedule change by field', () => {
    const before = parseDefinitions(file({ endsAt: '2026-12-10T00:00:00Z' }));
    const after = parseDefinitions(file({ endsAt: '2026-12-11T00:00:00Z' }));
    const diff = diffDefinitions(before, after);
    expect(JSON.stringify(diff)).toContain('schedule.endsAt');
  });
});

describe('definitionsAt', () => {
  it('hides goals and challenges before their start', () => {
    const early = definitionsAt(defs, at('2026-12-10T00:00:00Z'));
    expect(early.challengesById.has('winter-event')).toBe(false);
    expect([...early.goalsById.keys()]).toEqual(['launch-logins', 'launch-level']);
    const during = definitionsAt(defs, at('2026-12-20T00:00:00Z'));
    expect(during.challengesById.get('winter-event')?.goals.map((g) => g.goalId)).toEqual([
      'winter-kills',
    ]);
    const eve = definitionsAt(defs, at('2026-12-24T12:00:00Z'));
    expect(eve.goalsById.has('winter-christmas-eve')).toBe(true);
  });

  it('marks ended goals and stops assigning them by default', () => {
    const later = definitionsAt(defs, at('2026-12-15T00:00:00Z'));
    const logins = later.goalsById.get('launch-logins')!;
    expect(logins.ended).toBe(true);
    expect(logins.defaultAssigned).toBe(false);
    expect(later.goalsById.get('launch-level')?.ended).toBeUndefined();
    expect(later.loginGoals.map((g) => g.goalId)).toEqual(['launch-logins']);
    // The Christmas Eve goal ends with its own window, inside the challenge's.
    const boxing = definitionsAt(defs, at('2026-12-26T00:00:00Z'));
    expect(boxing.goalsById.get('winter-christmas-eve')?.ended).toBe(true);
    expect(boxing.goalsById.get('winter-kills')?.ended).toBeUndefined();
  });

  it('is one object per interval between boundaries, a new one after a boundary', () => {
    const a = definitionsAt(defs, at('2026-12-22T00:00:00Z'));
    expect(definitionsAt(defs, at('2026-12-23T22:59:59.999Z'))).toBe(a);
    expect(definitionsAt(defs, at('2026-12-23T23:00:00Z'))).not.toBe(a);
    expect(nextScheduleBoundary(defs, at('2026-12-22T00:00:00Z'))).toEqual(
      at('2026-12-23T23:00:00Z'),
    );
    // A claim deadline is a boundary too (claims are refused from the next millisecond).
    expect(nextScheduleBoundary(defs, at('2026-12-19T00:00:00Z'))).toEqual(
      at('2026-12-21T00:00:00.001Z'),
    );
    expect(nextScheduleBoundary(defs, at('2027-02-01T00:00:00Z'))).toBeNull();
  });

  it('a goal window is the intersection with its challenge', () => {
    const goal = defs.goalsById.get('winter-christmas-eve')!;
    expect(goalWindow(defs, goal)).toEqual({
      startsAt: at('2026-12-23T23:00:00Z'),
      endsAt: at('2026-12-24T23:00:00Z'),
      claimUntil: at('2027-01-07T23:59:59Z'),
    });
  });
});

describe('claims and activation of scheduled goals', () => {
  const code = (fn: () => void) => {
    try {
      fn();
      return null;
    } catch (error) {
      return isCoreError(error) ? error.code : 'other';
    }
  };

  it('claims are accepted until claimUntil, refused after it', () => {
    const goal = defs.goalsById.get('launch-logins')!;
    expect(code(() => checkClaimWindow(defs, goal, at('2026-12-21T00:00:00Z')))).toBeNull();
    expect(code(() => checkClaimWindow(defs, goal, at('2026-12-21T00:00:00.001Z')))).toBe(
      'CLAIM_WINDOW_CLOSED',
    );
    const open = defs.goalsById.get('launch-level')!;
    expect(code(() => checkClaimWindow(defs, open, at('2099-01-01T00:00:00Z')))).toBeNull();
  });

  it('ended goals cannot be activated', () => {
    const later = definitionsAt(defs, at('2026-12-15T00:00:00Z'));
    expect(code(() => checkGoalsOpen([later.goalsById.get('launch-logins')!]))).toBe('GOAL_ENDED');
    expect(code(() => checkGoalsOpen([later.goalsById.get('launch-level')!]))).toBeNull();
  });
});
