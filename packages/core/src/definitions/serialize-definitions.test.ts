import { describe, expect, it } from 'vitest';
import { parseDefinitions } from './parse-definitions.ts';
import { serializeDefinitions } from './serialize-definitions.ts';

const base = {
  name: 'n',
  description: 'd',
  eventSource: 'statistic',
  reward: { type: 'WALLET', rewardId: 'GOLD', quantity: 5 },
};

describe('serializeDefinitions', () => {
  const defs = parseDefinitions({
    challenges: [
      {
        challengeId: 'c1',
        name: 'Challenge',
        goals: [
          { ...base, goalId: 'plain', requirement: { statCode: 'kills', targetValue: 3 } },
          {
            ...base,
            goalId: 'legacy-daily',
            type: 'daily',
            requirement: { statCode: 'wins', targetValue: 3 },
          },
          {
            ...base,
            goalId: 'daily-inc',
            type: 'increment',
            daily: true,
            requirement: { statCode: 'x', targetValue: 7 },
          },
          {
            ...base,
            goalId: 'weekly',
            prerequisites: ['plain'],
            defaultAssigned: true,
            requirement: { statCode: 'kills', targetValue: 9, progressMode: 'relative' },
            rotation: { schedule: 'weekly', timezone: 'Europe/Berlin', weekStartsOn: 'sunday' },
          },
        ],
      },
    ],
  });

  it('writes canonical camelCase keys, legacy keys only for legacy-only behaviour', () => {
    const file = serializeDefinitions(defs);
    const [plain, legacyDaily, dailyInc, weekly] = file.challenges[0]!.goals;
    expect(plain).toEqual({
      goalId: 'plain',
      name: 'n',
      description: 'd',
      eventSource: 'statistic',
      requirement: { statCode: 'kills', operator: '>=', targetValue: 3, progressMode: 'absolute' },
      reward: { type: 'WALLET', rewardId: 'GOLD', quantity: 5 },
      prerequisites: [],
      defaultAssigned: false,
    });
    expect(legacyDaily).toMatchObject({
      type: 'daily',
      rotation: { enabled: true, schedule: 'daily' },
    });
    expect(dailyInc).toMatchObject({ type: 'increment', daily: true });
    expect(weekly?.rotation).toEqual({
      enabled: true,
      type: 'global',
      schedule: 'weekly',
      timezone: 'Europe/Berlin',
      weekStartsOn: 'sunday',
      onExpiry: { resetProgress: false, allowReselection: false },
    });
  });

  it('round-trips', () => {
    expect(parseDefinitions(serializeDefinitions(defs))).toEqual(defs);
  });
});
