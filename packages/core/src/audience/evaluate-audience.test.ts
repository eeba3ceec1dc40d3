import { describe, expect, it } from 'vitest';
import { parseDefinitions } from '../definitions/parse-definitions.ts';
import {
  audienceExclusions,
  definitionsForExclusions,
  hasAudiences,
} from './audience-definitions.ts';
import { inAudience, ruleHolds } from './evaluate-audience.ts';
import { rolloutBucket } from './rollout-bucket.ts';

const attrs = { country: 'DE', level: 12, vip: true, platform: 'ios' };

describe('ruleHolds', () => {
  it.each([
    [{ attr: 'country', in: ['DE', 'AT'] }, true],
    [{ attr: 'country', in: ['FR'] }, false],
    [{ attr: 'missing', in: ['DE'] }, false],
    [{ attr: 'country', notIn: ['FR'] }, true],
    [{ attr: 'country', notIn: ['DE'] }, false],
    [{ attr: 'missing', notIn: ['DE'] }, true],
    [{ attr: 'level', gte: 12 }, true],
    [{ attr: 'level', gte: 13 }, false],
    [{ attr: 'level', lte: 12 }, true],
    [{ attr: 'level', gte: 10, lte: 11 }, false],
    [{ attr: 'country', gte: 0 }, false],
    [{ attr: 'vip', in: [true] }, true],
    [{ attr: 'level', in: ['12'] }, false],
    [{ attr: 'vip', exists: true }, true],
    [{ attr: 'missing', exists: false }, true],
    [{ attr: 'missing', exists: true }, false],
    [{ attr: 'country', exists: true, in: ['FR'] }, false],
  ])('%j → %s', (rule, expected) => {
    expect(ruleHolds(rule, attrs)).toBe(expected);
  });
});

describe('inAudience', () => {
  it('needs every `all` rule, one `any` rule and the rollout', () => {
    const all = [
      { attr: 'country', in: ['DE'] },
      { attr: 'level', gte: 10 },
    ];
    const any = [
      { attr: 'platform', in: ['android'] },
      { attr: 'vip', in: [true] },
    ];
    expect(inAudience({ audience: { all, any }, attributes: attrs, bucket: 0 })).toBe(true);
    expect(
      inAudience({ audience: { all, any }, attributes: { ...attrs, vip: false }, bucket: 0 }),
    ).toBe(false);
    expect(inAudience({ audience: { all }, attributes: { ...attrs, level: 3 }, bucket: 0 })).toBe(
      false,
    );
    expect(
      inAudience({ audience: { all, rolloutPercent: 50 }, attributes: attrs, bucket: 4999 }),
    ).toBe(true);
    expect(
      inAudience({ audience: { all, rolloutPercent: 50 }, attributes: attrs, bucket: 5000 }),
    ).toBe(false);
    expect(inAudience({ audience: { rolloutPercent: 0 }, attributes: attrs, bucket: 0 })).toBe(
      false,
    );
    expect(inAudience({ audience: undefined, attributes: {}, bucket: 9999 })).toBe(true);
  });
});

const goal = (goalId: string, audience?: unknown) => ({
  goalId,
  name: goalId,
  eventSource: 'statistic',
  requirement: { statCode: 'kills', targetValue: 5 },
  reward: { type: 'ITEM', rewardId: 'r', quantity: 1 },
  defaultAssigned: true,
  ...(audience === undefined ? {} : { audience }),
});

describe('audienceExclusions and definitionsForExclusions', () => {
  const defs = parseDefinitions({
    challenges: [
      { challengeId: 'open', name: 'Open', goals: [goal('o1')] },
      {
        challengeId: 'eu',
        name: 'EU',
        audience: { all: [{ attr: 'country', in: ['DE', 'FR'] }] },
        goals: [goal('eu1'), goal('eu-vip', { any: [{ attr: 'vip', in: [true] }] })],
      },
      {
        challengeId: 'ios',
        name: 'iOS',
        goals: [goal('ios1', { all: [{ attr: 'platform', in: ['ios'] }] })],
      },
    ],
  });

  it('leaves out challenges and goals the player is outside of', () => {
    const out = audienceExclusions({
      definitions: defs,
      attributes: { country: 'US' },
      playerId: 'p',
    });
    expect([...out.challengeIds].sort()).toEqual(['eu', 'ios']);
    expect([...out.goalIds].sort()).toEqual(['eu-vip', 'eu1', 'ios1']);
    const view = definitionsForExclusions(defs, out);
    expect(view.challenges.map((c) => c.challengeId)).toEqual(['open']);
    expect(view.goalsById.has('eu1')).toBe(false);
    // The same exclusions give the same (cached) object.
    expect(
      definitionsForExclusions(
        defs,
        audienceExclusions({ definitions: defs, attributes: {}, playerId: 'q' }),
      ),
    ).toBe(view);
  });

  it('keeps a challenge with the goals the player is in', () => {
    const out = audienceExclusions({
      definitions: defs,
      attributes: { country: 'DE', platform: 'ios' },
      playerId: 'p',
    });
    expect([...out.goalIds]).toEqual(['eu-vip']);
    const view = definitionsForExclusions(defs, out);
    expect(view.challengesById.get('eu')?.goals.map((g) => g.goalId)).toEqual(['eu1']);
  });

  it('returns the definitions themselves when nothing is excluded', () => {
    const out = audienceExclusions({
      definitions: defs,
      attributes: { country: 'DE', vip: true, platform: 'ios' },
      playerId: 'p',
    });
    expect(definitionsForExclusions(defs, out)).toBe(defs);
    expect(hasAudiences(defs)).toBe(true);
    expect(
      hasAudiences(
        parseDefinitions({ challenges: [{ challengeId: 'x', name: 'X', goals: [goal('g')] }] }),
      ),
    ).toBe(false);
  });

  it('rolls a goal out by the bucket of (player, challenge)', () => {
    const rolled = parseDefinitions({
      challenges: [{ challengeId: 'c', name: 'C', goals: [goal('half', { rolloutPercent: 50 })] }],
    });
    for (const playerId of ['a', 'b', 'c', 'd', 'e', 'f']) {
      const out = audienceExclusions({ definitions: rolled, attributes: {}, playerId });
      expect(out.goalIds.has('half')).toBe(rolloutBucket(playerId, 'c') >= 5000);
    }
  });
});
