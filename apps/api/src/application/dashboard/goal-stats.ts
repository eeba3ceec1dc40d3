import type { GoalStats, GoalStatsRepository } from '@challenges/db';

/** Per goal: players assigned, active, completed (claimed included), claimed — one scan. */
export function goalStatistics(deps: { goalStats: GoalStatsRepository }): Promise<GoalStats[]> {
  return deps.goalStats.all();
}
