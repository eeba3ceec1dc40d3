import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors.ts';
import { parseDefinitionsJson } from './parse-definitions.ts';

describe('parseDefinitionsJson', () => {
  it('parses the text of a file', () => {
    const text = JSON.stringify({
      challenges: [
        {
          challengeId: 'c1',
          name: 'n',
          goals: [
            {
              goalId: 'g1',
              name: 'n',
              eventSource: 'login',
              requirement: { statCode: 'login_count', operator: '>=', targetValue: 1 },
              reward: { type: 'WALLET', rewardId: 'GOLD', quantity: 10 },
            },
          ],
        },
      ],
    });
    expect(parseDefinitionsJson(text).loginGoals.map((g) => g.goalId)).toEqual(['g1']);
  });

  it('turns malformed JSON into INVALID_DEFINITIONS', () => {
    let caught: unknown;
    try {
      parseDefinitionsJson('{"challenges": [');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CoreError);
    expect((caught as CoreError).code).toBe('INVALID_DEFINITIONS');
    expect((caught as CoreError).message).toMatch(/^definitions are not valid JSON: /);
  });

  it('ignores a "__proto__" key instead of letting it change the prototype', () => {
    const text =
      '{"__proto__": {"polluted": true}, "challenges": [{"challengeId": "c1", "name": "n", "goals": [' +
      '{"goalId": "g1", "name": "n", "eventSource": "login", "requirement": {"targetValue": 1},' +
      ' "reward": {"type": "ITEM", "rewardId": "x", "quantity": 1}}]}]}';
    expect(parseDefinitionsJson(text).goalsById.size).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
