'use client';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { FunnelGoal } from './funnel-table';

const STAGES = [
  { key: 'assigned', colour: '#94a3b8' },
  { key: 'active', colour: '#4f46e5' },
  { key: 'completed', colour: '#0891b2' },
  { key: 'claimed', colour: '#16a34a' },
] as const;

/** One bar group per goal × variant: assigned → active → completed → claimed. */
export function FunnelChart({ goals }: { goals: FunnelGoal[] }) {
  const data = goals.flatMap((goal) =>
    goal.variants.map((v) => ({
      label: v.variantId === '' ? goal.goalId : `${goal.goalId} · ${v.variantId}`,
      assigned: v.assigned,
      active: v.active,
      completed: v.completed,
      claimed: v.claimed,
    })),
  );
  return (
    <div data-testid="funnel-chart" className="h-80 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, left: -12, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          {/* Slanted labels: goal · variant names stay readable on a phone's width. */}
          <XAxis
            dataKey="label"
            tick={{ fontSize: 11 }}
            interval={0}
            angle={-30}
            textAnchor="end"
            height={70}
          />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {STAGES.map((stage) => (
            <Bar
              key={stage.key}
              dataKey={stage.key}
              fill={stage.colour}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
