import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffDefinitions } from '../definitions/diff-definitions.ts';
import { definitionProblems, parseDefinitions } from '../definitions/parse-definitions.ts';
import { serializeDefinitions } from '../definitions/serialize-definitions.ts';
import { audienceExclusions } from './audience-definitions.ts';

const example = JSON.parse(
  readFileSync(new URL('../../../../fixtures/challenges.audiences.json', import.meta.url), 'utf8'),
);

function withAudience(challengeAudience: unknown, goalAudience?: unknown) {
  return {
    challenges: [
      {
        challengeId: 'c1',
        name: 'C1',
        audience: challengeAudience,
        goals: [
          {
            goalId: 'g1',
            name: 'G1',
            eventSource: 'login',
            requirement: { targetValue: 1 },
            reward: { type: 'ITEM', rewardId: 'r', quantity: 1 },
            audience: goalAudience,
          },
        ],
      },
    ],
  };
}

describe('audience in the definitions file', () => {
  it('the example file loads, round-trips and excludes as documented', () => {
    const defs = parseDefinitions(example);
    expect(defs.challengesById.get('eu-weekend')?.audience).toEqual({
      all: [{ attr: 'country', in: ['DE', 'FR', 'AT'] }],
      rolloutPercent: 25,
    });
    expect(parseDefinitions(JSON.parse(JSON.stringify(serializeDefinitions(defs))))).toEqual(defs);
    const newcomer = audienceExclusions({
      definitions: defs,
      attributes: { level: 3 },
      playerId: 'p',
    });
    expect(newcomer.goalIds.has('first-login')).toBe(false);
    expect(newcomer.challengeIds.has('eu-weekend')).toBe(true);
    const veteran = audienceExclusions({
      definitions: defs,
      attributes: { level: 30 },
      playerId: 'p',
    });
    expect(veteran.challengeIds.has('newcomers')).toBe(true);
  });

  it.each([
    [{}, "goal 'g1' in challenge 'c1'", 'audience needs all, any or rolloutPercent', true],
    [{ rolloutPercent: 101 }, "challenge 'c1'", 'rolloutPercent must be at most 100', false],
    [
      { all: [{ attr: 'country' }] },
      "challenge 'c1'",
      "audience rule on 'country' needs one of in, notIn, gte, lte, exists",
      false,
    ],
    [
      { all: [{ attr: 'level', gte: 5, lte: 2 }] },
      "challenge 'c1'",
      "audience rule on 'level': gte 5 is above lte 2",
      false,
    ],
    [
      { any: [{ attr: 'has space', exists: true }] },
      "challenge 'c1'",
      'attribute names may hold only letters, digits and _ . : -',
      false,
    ],
    [{ all: [] }, "challenge 'c1'", 'all must have at least 1 entries', false],
    [
      { all: [{ attr: 'country', in: [] }] },
      "challenge 'c1'",
      'in must have at least 1 entries',
      false,
    ],
  ])('%j is refused with a problem naming where and what', (audience, where, what, onGoal) => {
    const problems = definitionProblems(
      onGoal ? withAudience(undefined, audience) : withAudience(audience),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(where);
    expect(problems[0]).toContain(what);
  });

  it('a changed audience shows in the diff', () => {
    const before = parseDefinitions(withAudience({ rolloutPercent: 10 }));
    const after = parseDefinitions(
      withAudience({ rolloutPercent: 50 }, { all: [{ attr: 'vip', in: [true] }] }),
    );
    const diff = diffDefinitions(before, after);
    expect(diff.challenges.changed[0]?.changes).toEqual([
      { field: 'audience.rolloutPercent', before: 10, after: 50 },
    ]);
    expect(diff.goals.changed[0]?.changes).toEqual([
      { field: 'audience', before: null, after: { all: [{ attr: 'vip', in: [true] }] } },
    ]);
    expect(
      diffDefinitions(before, parseDefinitions(withAudience({ rolloutPercent: 10 }))).identical,
    ).toBe(true);
  });
});
