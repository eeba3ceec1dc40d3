/** Raw definitions-file builders for the parser's tests. */
import { expect } from 'vitest';
import { parseDefinitions } from '../definitions/parse-definitions.ts';
import { CoreError } from '../errors.ts';

export type Raw = Record<string, unknown>;

export function rawGoal(overrides: Raw = {}): Raw {
  return {
    goalId: 'g1',
    name: 'Kill 10',
    description: 'Kill ten snowmen',
    eventSource: 'statistic',
    requirement: { statCode: 'kills', operator: '>=', targetValue: 10 },
    reward: { type: 'ITEM', rewardId: 'sword', quantity: 1 },
    ...overrides,
  };
}

export function rawFile(goals: Raw[] = [rawGoal()], challenge: Raw = {}): Raw {
  return {
    challenges: [{ challengeId: 'c1', name: 'Winter', description: 'd', goals, ...challenge }],
  };
}

export function problemsOf(raw: unknown): readonly string[] {
  try {
    parseDefinitions(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(CoreError);
    const coreError = error as CoreError;
    expect(coreError.code).toBe('INVALID_DEFINITIONS');
    expect(coreError.message).toBe(coreError.details[0]);
    return coreError.details;
  }
  throw new Error('expected parseDefinitions to throw');
}

export const goalError = (message: string, goalId = 'g1', challengeId = 'c1') =>
  `invalid goal '${goalId}' in challenge '${challengeId}': ${message}`;
