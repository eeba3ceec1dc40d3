/**
 * A goal as a definitions file spells it (for `parseDefinitions`): a statistic goal named after
 * its id with a `>=` requirement, and `extra` fields (type, daily, rotation, eventSource).
 */
export const rawGoal = (
  goalId: string,
  requirement: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  goalId,
  name: goalId,
  description: goalId,
  eventSource: 'statistic',
  requirement: { operator: '>=', ...requirement },
  reward: { type: 'ITEM', rewardId: 'sword', quantity: 1 },
  ...extra,
});
