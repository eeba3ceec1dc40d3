import { describe, expect, it } from 'vitest';
import { problemsOf, rawFile, rawGoal } from '../testing/raw-definitions.ts';
import { definitionProblems, problemLabel } from './parse-definitions.ts';

describe('definitionProblems', () => {
  it('is empty for valid definitions', () => {
    expect(definitionProblems(rawFile())).toEqual([]);
  });

  it('lists what parseDefinitions reports, without throwing', () => {
    const draft = rawFile([
      rawGoal({ requirement: { statCode: 'kills', targetValue: 0 } }),
      rawGoal({ goalId: 'g2', reward: { type: 'GEMS', rewardId: 'x', quantity: 1 } }),
    ]);
    expect(definitionProblems(draft)).toEqual([...problemsOf(draft)]);
    expect(definitionProblems(draft)).toHaveLength(2);
  });

  it('reports a cleared number field (NaN, as a form holds it) as not a number', () => {
    const draft = rawFile([rawGoal({ requirement: { statCode: 'k', targetValue: Number.NaN } })]);
    expect(definitionProblems(draft)).toEqual([
      "invalid goal 'g1' in challenge 'c1': targetValue must be a number",
    ]);
  });

  it('answers for a value that is no definitions file at all', () => {
    expect(definitionProblems(null)).toEqual([
      'definitions must be a JSON object with a "challenges" array',
    ]);
  });
});

describe('problemLabel', () => {
  it('names an entity by its id, or by its position when the id is missing or blank', () => {
    expect(problemLabel({ goalId: 'g7' }, 'goalId', 0)).toBe('g7');
    expect(problemLabel({ goalId: ' ' }, 'goalId', 1)).toBe('#2');
    expect(problemLabel({}, 'challengeId', 2)).toBe('#3');
  });
});
