import { describe, expect, it } from 'vitest';
import { makeDefinitions, makeGoal, makeRotation } from '../testing/builders.ts';
import { diffDefinitions, summarizeDiff } from './diff-definitions.ts';

const kills = makeGoal({ goalId: 'kills', challengeId: 'winter', name: 'Kill 10' });
const login = makeGoal({ goalId: 'login', challengeId: 'winter', eventSource: 'login' });
const daily = makeGoal({ goalId: 'daily', challengeId: 'daily' });

describe('diffDefinitions', () => {
  it('equal definitions are identical', () => {
    const diff = diffDefinitions(makeDefinitions([kills, login]), makeDefinitions([kills, login]));
    expect(diff.identical).toBe(true);
    expect(diff.goals).toEqual({ added: [], removed: [], changed: [] });
  });

  it('with nothing published, everything is added', () => {
    const diff = diffDefinitions(null, makeDefinitions([kills, daily]));
    expect(diff.challenges.added.map((c) => c.challengeId)).toEqual(['winter', 'daily']);
    expect(diff.goals.added.map((g) => g.goalId)).toEqual(['kills', 'daily']);
    expect(diff.challengeOrder).toBeNull();
    expect(diff.identical).toBe(false);
  });

  it('names added and removed challenges and goals', () => {
    const diff = diffDefinitions(makeDefinitions([kills, login]), makeDefinitions([kills, daily]));
    expect(diff.challenges.added).toEqual([{ challengeId: 'daily', name: 'daily' }]);
    expect(diff.challenges.removed).toEqual([]);
    expect(diff.goals.added).toEqual([{ challengeId: 'daily', goalId: 'daily', name: 'Goal' }]);
    expect(diff.goals.removed).toEqual([{ challengeId: 'winter', goalId: 'login', name: 'Goal' }]);
    expect(diff.challenges.changed).toEqual([
      {
        challengeId: 'winter',
        name: 'winter',
        changes: [{ field: 'goalOrder', before: ['kills', 'login'], after: ['kills'] }],
      },
    ]);
  });

  it('reports changed goal fields by path with before and after', () => {
    const changed = makeGoal({
      ...kills,
      name: 'Kill 20',
      requirement: { ...kills.requirement, targetValue: 20 },
      prerequisites: ['login'],
    });
    const diff = diffDefinitions(
      makeDefinitions([kills, login]),
      makeDefinitions([changed, login]),
    );
    expect(diff.goals.changed).toEqual([
      {
        challengeId: 'winter',
        goalId: 'kills',
        name: 'Kill 20',
        changes: [
          { field: 'name', before: 'Kill 10', after: 'Kill 20' },
          { field: 'requirement.targetValue', before: 10, after: 20 },
          { field: 'prerequisites', before: [], after: ['login'] },
        ],
      },
    ]);
    expect(diff.identical).toBe(false);
  });

  it('a rotation switched on is one change; a changed timezone is a leaf change', () => {
    const rotating = makeGoal({ ...kills, rotation: makeRotation() });
    const berlin = makeGoal({ ...kills, rotation: makeRotation({ timezone: 'Europe/Berlin' }) });
    const on = diffDefinitions(makeDefinitions([kills]), makeDefinitions([rotating]));
    expect(on.goals.changed[0]?.changes).toEqual([
      { field: 'rotation', before: null, after: makeRotation() },
    ]);
    const zone = diffDefinitions(makeDefinitions([rotating]), makeDefinitions([berlin]));
    expect(zone.goals.changed[0]?.changes).toEqual([
      { field: 'rotation.timezone', before: 'UTC', after: 'Europe/Berlin' },
    ]);
  });

  it('a goal moved to another challenge is a change, not a removal', () => {
    const moved = makeGoal({ ...kills, challengeId: 'daily' });
    const diff = diffDefinitions(makeDefinitions([kills, daily]), makeDefinitions([daily, moved]));
    expect(diff.goals.removed).toEqual([]);
    expect(diff.goals.changed[0]?.changes).toEqual([
      { field: 'challengeId', before: 'winter', after: 'daily' },
    ]);
  });

  it('notices reordered challenges', () => {
    const diff = diffDefinitions(makeDefinitions([kills, daily]), makeDefinitions([daily, kills]));
    expect(diff.challengeOrder).toEqual({
      before: ['winter', 'daily'],
      after: ['daily', 'winter'],
    });
    expect(diff.identical).toBe(false);
  });
});

describe('summarizeDiff', () => {
  it('keeps ids and changed field names only', () => {
    const changed = makeGoal({ ...kills, reward: { ...kills.reward, quantity: 5 } });
    const diff = diffDefinitions(
      makeDefinitions([kills, login]),
      makeDefinitions([changed, daily]),
    );
    expect(summarizeDiff(diff)).toEqual({
      challenges: { added: ['daily'], removed: [], changed: ['winter'], reordered: false },
      goals: {
        added: ['daily'],
        removed: ['login'],
        changed: [{ goalId: 'kills', fields: ['reward.quantity'] }],
      },
    });
  });
});
