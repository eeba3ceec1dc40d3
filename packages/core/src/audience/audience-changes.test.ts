import { describe, expect, it } from 'vitest';
import { parseDefinitions } from '../definitions/parse-definitions.ts';
import { goalsWithChangedAudience, inGoalAudience } from './audience-changes.ts';
import { rolloutBucket } from './rollout-bucket.ts';

const goal = (goalId: string, audience?: unknown) => ({
  goalId,
  name: goalId,
  eventSource: 'statistic',
  requirement: { statCode: 'kills', targetValue: 5 },
  reward: { type: 'ITEM', rewardId: 'r', quantity: 1 },
  defaultAssigned: true,
  ...(audience === undefined ? {} : { audience }),
});

const DE = { all: [{ attr: 'country', in: ['DE'] }] };
const FR = { all: [{ attr: 'country', in: ['FR'] }] };

/** Challenge `a` (goals a1, a2) and `b` (goal b1), each audience optional. */
function defs(audiences: { a?: unknown; a1?: unknown; a2?: unknown; b?: unknown; b1?: unknown }) {
  return parseDefinitions({
    challenges: [
      {
        challengeId: 'a',
        name: 'A',
        ...(audiences.a === undefined ? {} : { audience: audiences.a }),
        goals: [goal('a1', audiences.a1), goal('a2', audiences.a2)],
      },
      {
        challengeId: 'b',
        name: 'B',
        ...(audiences.b === undefined ? {} : { audience: audiences.b }),
        goals: [goal('b1', audiences.b1)],
      },
    ],
  });
}

const changed = (before: ReturnType<typeof defs> | null, after: ReturnType<typeof defs>) =>
  [...goalsWithChangedAudience(before, after).keys()].sort();

describe('goalsWithChangedAudience', () => {
  it('is empty when no effective audience changed (equal content, other objects)', () => {
    expect(changed(defs({}), defs({}))).toEqual([]);
    expect(changed(defs({ a: DE, b1: FR }), defs({ a: DE, b1: FR }))).toEqual([]);
  });

  it('names a goal whose own audience was added or changed', () => {
    expect(changed(defs({}), defs({ a1: DE }))).toEqual(['a1']);
    expect(changed(defs({ a1: DE }), defs({ a1: FR }))).toEqual(['a1']);
    expect(changed(defs({ a1: DE }), defs({ a1: { ...DE, rolloutPercent: 10 } }))).toEqual(['a1']);
  });

  it('names every goal of a challenge whose audience changed', () => {
    expect(changed(defs({}), defs({ a: DE }))).toEqual(['a1', 'a2']);
    expect(changed(defs({ a: DE, a1: FR }), defs({ a: { rolloutPercent: 5 }, a1: FR }))).toEqual([
      'a1',
      'a2',
    ]);
  });

  it('leaves out goals whose audience went away (everyone is in)', () => {
    expect(changed(defs({ a: DE, b1: FR }), defs({}))).toEqual([]);
    expect(changed(defs({ a: DE, a1: FR }), defs({ a1: FR }))).toEqual(['a1']);
  });

  it('names a goal moved to another challenge (its bucket changed) and new goals', () => {
    const before = defs({ a: { rolloutPercent: 50 } });
    const after = parseDefinitions({
      challenges: [
        { challengeId: 'a', name: 'A', audience: { rolloutPercent: 50 }, goals: [goal('a1')] },
        {
          challengeId: 'c',
          name: 'C',
          audience: { rolloutPercent: 50 },
          goals: [goal('a2'), goal('c1')],
        },
      ],
    });
    expect([...goalsWithChangedAudience(before, after).keys()].sort()).toEqual(['a2', 'c1']);
  });

  it('names every goal with an audience when nothing was live', () => {
    expect(changed(null, defs({ a1: DE, b: FR }))).toEqual(['a1', 'b1']);
  });

  it('carries the effective audience: challenge, goal and the bucket’s challenge', () => {
    const out = goalsWithChangedAudience(null, defs({ a: DE, a1: FR }));
    expect(out.get('a1')).toEqual({
      goalId: 'a1',
      challengeId: 'a',
      challengeAudience: DE,
      goalAudience: FR,
    });
    expect(out.get('a2')).toEqual({ goalId: 'a2', challengeId: 'a', challengeAudience: DE });
  });
});

describe('inGoalAudience', () => {
  it('needs the challenge’s audience and the goal’s', () => {
    const audience = { goalId: 'g', challengeId: 'c', challengeAudience: DE, goalAudience: FR };
    expect(inGoalAudience(audience, { country: 'DE' }, 'p')).toBe(false);
    expect(inGoalAudience({ ...audience, goalAudience: undefined }, { country: 'DE' }, 'p')).toBe(
      true,
    );
    expect(inGoalAudience({ goalId: 'g', challengeId: 'c', goalAudience: DE }, {}, 'p')).toBe(
      false,
    );
  });

  it('rolls out by the bucket of (player, challenge)', () => {
    const audience = { goalId: 'g', challengeId: 'c', goalAudience: { rolloutPercent: 30 } };
    for (const playerId of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) {
      expect(inGoalAudience(audience, {}, playerId)).toBe(rolloutBucket(playerId, 'c') < 3000);
    }
  });
});
