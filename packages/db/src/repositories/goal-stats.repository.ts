import { TEST_PLAYER_PREFIX } from '@challenges/core';
import type pg from 'pg';

/** How many players hold each goal and how far they got (the dashboard's Challenges page). */
export interface GoalStats {
  goalId: string;
  /** Rows of the goal: players it was ever assigned to. */
  assigned: number;
  active: number;
  /** Completed at some point in the current period, claimed or not. */
  completed: number;
  claimed: number;
}

export interface GoalStatsRepository {
  /**
   * One aggregate scan of goal_progress, grouped by goal, ordered by goal id; load-test players
   * (core's TEST_PLAYER_PREFIX) are not players and do not count.
   */
  all(): Promise<GoalStats[]>;
}

const GOAL_STATS = {
  name: 'goal_progress.goal_stats.v2',
  text: `SELECT goal_id,
      count(*)::int AS assigned,
      count(*) FILTER (WHERE is_active)::int AS active,
      count(*) FILTER (WHERE status IN ('completed', 'claimed'))::int AS completed,
      count(*) FILTER (WHERE status = 'claimed')::int AS claimed
    FROM goal_progress
    WHERE NOT starts_with(user_id, $1)
    GROUP BY goal_id
    ORDER BY goal_id`,
};

export function createGoalStatsRepository(pool: pg.Pool): GoalStatsRepository {
  return {
    async all() {
      const { rows } = await pool.query<{
        goal_id: string;
        assigned: number;
        active: number;
        completed: number;
        claimed: number;
      }>({ ...GOAL_STATS, values: [TEST_PLAYER_PREFIX] });
      return rows.map((r) => ({
        goalId: r.goal_id,
        assigned: r.assigned,
        active: r.active,
        completed: r.completed,
        claimed: r.claimed,
      }));
    },
  };
}
