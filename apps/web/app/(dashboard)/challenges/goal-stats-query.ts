'use client';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/lib/trpc';
import type { GoalCounts } from './goal-stats';

/** Per-goal counts over all players, refreshed every 5 s (one aggregate scan on the api). */
export function useGoalStats(): Map<string, GoalCounts> | undefined {
  const trpc = useTRPC();
  const stats = useQuery(
    trpc.challenge.goalStats.queryOptions(undefined, { refetchInterval: 5000 }),
  );
  if (!stats.data) return undefined;
  return new Map(stats.data.map((row) => [row.goalId, row]));
}
