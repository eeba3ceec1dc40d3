import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkInitialize, checkList, fixture500, scenarios } from './scenarios.ts';

interface Goals {
  challenges: { goals: { goalId: string; defaultAssigned: boolean }[] }[];
}

describe('list scenario fixture', () => {
  it('keeps all 500 goals but makes only the first 10 of each challenge default-assigned', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-test-'));
    try {
      const file = scenarios.list!.writeFixture(dir);
      const variant = JSON.parse(readFileSync(file, 'utf8')) as Goals;
      const original = JSON.parse(readFileSync(fixture500, 'utf8')) as Goals;
      const goals = variant.challenges.flatMap((c) => c.goals);
      expect(goals).toHaveLength(500);
      expect(goals.filter((g) => g.defaultAssigned)).toHaveLength(100);
      expect(variant.challenges[3]!.goals.map((g) => g.defaultAssigned).indexOf(false)).toBe(10);
      expect(goals.map((g) => g.goalId)).toEqual(
        original.challenges.flatMap((c) => c.goals.map((g) => g.goalId)),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses the untouched fixture, all 500 default-assigned, for initialize', () => {
    const original = JSON.parse(
      readFileSync(scenarios.initialize!.writeFixture(''), 'utf8'),
    ) as Goals;
    expect(original.challenges.flatMap((c) => c.goals).every((g) => g.defaultAssigned)).toBe(true);
  });
});

describe('answer checks', () => {
  it('accepts a returning player and rejects one who still got new rows', () => {
    expect(checkInitialize({ totalActive: 500, newAssignments: 0 }, 500)).toBeUndefined();
    expect(checkInitialize({ totalActive: 500, newAssignments: 500 }, 500)).toMatch(/500 \/ 0/);
    expect(checkInitialize({ totalActive: 100, newAssignments: 100 }, 100, 100)).toBeUndefined();
  });

  it('counts goals and active goals of a list answer', () => {
    const body = { challenges: [{ goals: [{ isActive: true }, { isActive: false }] }] };
    expect(checkList(body, 2, 1)).toBeUndefined();
    expect(checkList(body, 500, 100)).toBe('list: 2 goals / 1 active, expected 500 / 100');
    expect(checkList({ code: 16 }, 500, 100)).toMatch(/0 goals/);
  });
});
