'use client';

/** Live counts of one goal over all players (challenge.goalStats, when the api has it). */
export interface GoalCounts {
  assigned: number;
  active: number;
  completed: number;
  claimed: number;
}

export function GoalStatsCells({ counts }: { counts: GoalCounts | undefined }) {
  if (!counts) return null;
  const items: [string, number][] = [
    ['assigned', counts.assigned],
    ['active', counts.active],
    ['completed', counts.completed],
    ['claimed', counts.claimed],
  ];
  return (
    <span data-testid="goal-stats" className="ml-auto flex flex-wrap gap-3 text-xs text-slate-500">
      {items.map(([label, value]) => (
        <span key={label}>
          <span className="font-semibold tabular-nums text-slate-800">{value}</span> {label}
        </span>
      ))}
    </span>
  );
}
