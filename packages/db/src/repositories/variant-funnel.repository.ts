import { TEST_PLAYER_PREFIX } from '@challenges/core';
import type pg from 'pg';

/** One goal × A/B variant of the funnel (docs/definitions.md, "A/B variants"). */
export interface VariantFunnelRow {
  goalId: string;
  /** '' for rows without a recorded variant (the goal itself). */
  variantId: string;
  /** Rows: players the goal was ever assigned to in this variant. */
  assigned: number;
  active: number;
  /** Completed at some point (in the row's current period), claimed or not. */
  completed: number;
  claimed: number;
  /** Median and 90th percentile of completedAt − assignedAt over completed rows, in seconds. */
  medianSecondsToComplete: number | null;
  p90SecondsToComplete: number | null;
}

export interface VariantFunnelRepository {
  /**
   * One aggregate scan of goal_progress for the given goals, grouped by goal and recorded
   * variant, ordered by both; load-test players (core's TEST_PLAYER_PREFIX) do not count.
   */
  forGoals(goalIds: readonly string[]): Promise<VariantFunnelRow[]>;
}

const DONE = `status IN ('completed', 'claimed') AND completed_at IS NOT NULL`;
const SECONDS = 'extract(epoch from completed_at - assigned_at)::float8';

const VARIANT_FUNNEL = {
  name: 'goal_progress.variant_funnel.v1',
  text: `SELECT goal_id, coalesce(variant_id, '') AS variant_id,
      count(*)::int AS assigned,
      count(*) FILTER (WHERE is_active)::int AS active,
      count(*) FILTER (WHERE status IN ('completed', 'claimed'))::int AS completed,
      count(*) FILTER (WHERE status = 'claimed')::int AS claimed,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY ${SECONDS}) FILTER (WHERE ${DONE}) AS median_s,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY ${SECONDS}) FILTER (WHERE ${DONE}) AS p90_s
    FROM goal_progress
    WHERE goal_id = ANY($1::text[]) AND NOT starts_with(user_id, $2)
    GROUP BY 1, 2
    ORDER BY 1, 2`,
};

export function createVariantFunnelRepository(pool: pg.Pool): VariantFunnelRepository {
  return {
    async forGoals(goalIds) {
      if (goalIds.length === 0) return [];
      const { rows } = await pool.query<{
        goal_id: string;
        variant_id: string;
        assigned: number;
        active: number;
        completed: number;
        claimed: number;
        median_s: number | null;
        p90_s: number | null;
      }>({ ...VARIANT_FUNNEL, values: [[...goalIds], TEST_PLAYER_PREFIX] });
      return rows.map((r) => ({
        goalId: r.goal_id,
        variantId: r.variant_id,
        assigned: r.assigned,
        active: r.active,
        completed: r.completed,
        claimed: r.claimed,
        medianSecondsToComplete: r.median_s,
        p90SecondsToComplete: r.p90_s,
      }));
    },
  };
}
