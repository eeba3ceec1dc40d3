import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffDefinitions } from '../definitions/diff-definitions.ts';
import { definitionProblems, parseDefinitionsJson } from '../definitions/parse-definitions.ts';
import { serializeDefinitions } from '../definitions/serialize-definitions.ts';
import { newAssignment } from '../progress/new-assignment.ts';
import { makeGoal } from '../testing/builders.ts';
import { pickVariant, variantPoint } from './pick-variant.ts';
import { goalOfRow, variantGoal } from './variant-goal.ts';

const FIXTURE = new URL('../../../../fixtures/challenges.variants.json', import.meta.url);
const text = readFileSync(FIXTURE, 'utf8');
const fixture = () => JSON.parse(text);

/** The fixture with `edit` applied to goal `kills-ab`. */
function withKillsGoal(edit: (goal: any) => void) {
  const file = fixture();
  edit(file.challenges[0].goals[0]);
  return file;
}

describe('variants in the definitions', () => {
  it('parse, serialize back to the file and diff by variant id', () => {
    const defs = parseDefinitionsJson(text);
    const goal = defs.goalsById.get('kills-ab')!;
    expect(goal.variants?.map((v) => [v.variantId, v.weight, v.targetValue])).toEqual([
      ['easy', 3, 2],
      ['hard', 1, 4],
    ]);
    expect(defs.goalsById.get('wins-plain')!.variants).toBeUndefined();
    expect(serializeDefinitions(defs).challenges[0]!.goals[0]!.variants).toEqual(
      fixture().challenges[0].goals[0].variants,
    );
    const reweighted = parseDefinitionsJson(
      JSON.stringify(withKillsGoal((g) => (g.variants[1].weight = 5))),
    );
    expect(diffDefinitions(defs, reweighted).goals.changed).toEqual([
      expect.objectContaining({
        goalId: 'kills-ab',
        changes: [{ field: 'variants.hard.weight', before: 1, after: 5 }],
      }),
    ]);
  });

  it.each([
    ['one variant', (g: any) => g.variants.pop(), 'variants must have at least 2 entries'],
    [
      'a duplicate id',
      (g: any) => (g.variants[1].variantId = 'easy'),
      "variantId 'easy' is used twice",
    ],
    ['a zero weight', (g: any) => (g.variants[0].weight = 0), 'weight must be positive'],
    [
      'a stat override',
      (g: any) => (g.variants[0].requirement.statCode = 'other'),
      "a variant's requirement may only override targetValue (found 'statCode')",
    ],
    [
      'a mode override',
      (g: any) => (g.variants[0].requirement = { targetValue: 2, progressMode: 'absolute' }),
      "a variant's requirement may only override targetValue (found 'progressMode')",
    ],
    [
      'a target of 0',
      (g: any) => (g.variants[1].requirement.targetValue = 0),
      "a variant's requirement.targetValue must be a positive integer",
    ],
  ])('refuses %s, naming challenge and goal', (_case, edit, message) => {
    expect(definitionProblems(withKillsGoal(edit))).toContain(
      `invalid goal 'kills-ab' in challenge 'arena-ab': ${message}`,
    );
  });
});

describe('the variant a player gets', () => {
  const defs = parseDefinitionsJson(text);
  const goal = defs.goalsById.get('kills-ab')!;

  it('is stable, and weighted 3:1 within ±2 % over 100,000 players', () => {
    let easy = 0;
    let unstable = 0;
    for (let i = 0; i < 100_000; i++) {
      const picked = pickVariant(goal.variants!, `player-${i}`, goal.goalId);
      if (pickVariant(goal.variants!, `player-${i}`, goal.goalId) !== picked) unstable++;
      if (picked === 'easy') easy++;
    }
    expect(unstable).toBe(0);
    expect(Math.abs(easy / 100_000 - 0.75)).toBeLessThan(0.02 * 0.75);
  });

  it('hashes uniformly: each tenth of [0, 1) within ±2 % of 10,000 of 100,000 points', () => {
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) bins[Math.floor(variantPoint(`u${i}`, 'g') * 10)]!++;
    for (const count of bins) expect(Math.abs(count - 10_000)).toBeLessThan(200);
  });

  it('is recorded on a new row, which then plays the variant’s target, reward and text', () => {
    const now = new Date('2026-12-06T12:00:00Z');
    const row = newAssignment({ userId: 'player-1', goal, isActive: true, now });
    expect(row.variantId).toBe(pickVariant(goal.variants!, 'player-1', 'kills-ab'));
    const played = goalOfRow(defs, { goalId: 'kills-ab', variantId: 'hard' })!;
    expect(played).toMatchObject({
      variantId: 'hard',
      name: 'Defeat 4 enemies',
      description: goal.description,
      requirement: { statCode: 'ab_kills', targetValue: 4, progressMode: 'increment' },
      reward: { type: 'ITEM', rewardId: 'SWORD', quantity: 1 },
    });
    // Built once per goal and variant; no variant or an unknown one: the goal itself.
    expect(variantGoal(goal, 'hard')).toBe(played);
    expect(variantGoal(goal, undefined)).toBe(goal);
    expect(variantGoal(goal, 'removed')).toBe(goal);
    const plain = makeGoal();
    expect(newAssignment({ userId: 'p', goal: plain, isActive: true, now })).not.toHaveProperty(
      'variantId',
    );
  });
});
