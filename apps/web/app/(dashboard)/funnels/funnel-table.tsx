'use client';
import { Table, Td, Th } from '@/components/ui/table';
import type { RouterOutputs } from '@/lib/trpc';

export type VariantFunnel = RouterOutputs['challenge']['funnel'];
export type FunnelGoal = VariantFunnel['goals'][number];

const percent = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 100)} %`);

/** Seconds as the largest two units (e.g. "3 h 12 min"); "–" when nobody completed yet. */
export function duration(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** Counts, rates and time to complete per goal and variant. */
export function FunnelTable({ goals }: { goals: FunnelGoal[] }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Goal</Th>
          <Th>Variant</Th>
          <Th>Weight</Th>
          <Th>Target</Th>
          <Th>Reward</Th>
          <Th className="text-right">Assigned</Th>
          <Th className="text-right">Active</Th>
          <Th className="text-right">Completed</Th>
          <Th className="text-right">Claimed</Th>
          <Th className="text-right">Completion</Th>
          <Th className="text-right">Claim rate</Th>
          <Th className="text-right">Median</Th>
          <Th className="text-right">p90</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {goals.flatMap((goal) =>
          goal.variants.map((v) => (
            <tr key={`${goal.goalId}/${v.variantId}`} data-funnel={`${goal.goalId}/${v.variantId}`}>
              <Td>
                <code className="text-xs">{goal.goalId}</code>
              </Td>
              <Td>
                {v.variantId === '' ? (goal.hasVariants ? '(before variants)' : '–') : v.variantId}
              </Td>
              <Td>{v.weight ?? '–'}</Td>
              <Td className="tabular-nums">{v.targetValue}</Td>
              <Td className="whitespace-nowrap text-xs">
                {v.reward.quantity} × {v.reward.rewardId}
              </Td>
              <Td className="text-right tabular-nums">
                <span data-stage="assigned">{v.assigned}</span>
              </Td>
              <Td className="text-right tabular-nums">
                <span data-stage="active">{v.active}</span>
              </Td>
              <Td className="text-right tabular-nums">
                <span data-stage="completed">{v.completed}</span>
              </Td>
              <Td className="text-right tabular-nums">
                <span data-stage="claimed">{v.claimed}</span>
              </Td>
              <Td className="text-right tabular-nums">{percent(v.completionRate)}</Td>
              <Td className="text-right tabular-nums">{percent(v.claimRate)}</Td>
              <Td className="text-right tabular-nums">{duration(v.medianSecondsToComplete)}</Td>
              <Td className="text-right tabular-nums">{duration(v.p90SecondsToComplete)}</Td>
            </tr>
          )),
        )}
      </tbody>
    </Table>
  );
}
