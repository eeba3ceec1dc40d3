'use client';
import { useEffect, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Td } from '@/components/ui/table';
import { formatDateTime } from '@/lib/format-time';

export interface PlayerGoal {
  goalId: string;
  name: string;
  requirement: { statCode: string; operator: string; targetValue: number };
  progress: number;
  status: string;
  isActive: boolean;
  locked: boolean;
  assignedAt: string;
  expiresAt: string;
  expiresInSeconds: number;
}

const STATUS_TONE: Record<string, 'grey' | 'blue' | 'green' | 'indigo'> = {
  not_started: 'grey',
  in_progress: 'blue',
  completed: 'green',
  claimed: 'indigo',
};

function formatDuration(seconds: number): string {
  if (seconds <= 0) return 'expired';
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return `${m}m ${String(s).padStart(2, '0')}s`;
}

/** Counts down from the api's expiresAt (the service clock) without refetching. */
function Countdown({ expiresAt }: { expiresAt: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!expiresAt) return <span className="text-slate-400">never</span>;
  return (
    <span className="tabular-nums" title={`expires ${formatDateTime(expiresAt)}`}>
      {formatDuration((Date.parse(expiresAt) - now) / 1000)}
    </span>
  );
}

export function GoalRow({
  goal,
  canEdit,
  busy,
  onToggle,
  onReset,
}: {
  goal: PlayerGoal;
  canEdit: boolean;
  busy: boolean;
  onToggle: () => void;
  onReset: () => void;
}) {
  const target = goal.requirement.targetValue;
  const percent = target > 0 ? Math.min(100, (goal.progress / target) * 100) : 0;
  return (
    <tr data-goal={goal.goalId}>
      <Td>
        <div className="font-medium text-slate-800">{goal.name}</div>
        <code className="text-xs text-slate-500">{goal.goalId}</code>
      </Td>
      <Td>
        {goal.assignedAt ? (
          <Badge tone={goal.isActive ? 'green' : 'grey'}>
            {goal.isActive ? 'active' : 'inactive'}
          </Badge>
        ) : (
          <Badge>not assigned</Badge>
        )}
        {goal.locked && (
          <span className="ml-1">
            <Badge tone="amber">locked</Badge>
          </span>
        )}
      </Td>
      <Td className="min-w-40">
        <div
          role="progressbar"
          aria-label={`${goal.goalId} progress`}
          aria-valuemin={0}
          aria-valuemax={target}
          aria-valuenow={goal.progress}
          className="h-2 overflow-hidden rounded-full bg-slate-100"
        >
          <div className="h-full rounded-full bg-indigo-500" style={{ width: `${percent}%` }} />
        </div>
        <div className="mt-1 text-xs tabular-nums text-slate-500" data-testid="progress-text">
          {goal.progress} / {target} {goal.requirement.statCode}
        </div>
      </Td>
      <Td>
        <Badge tone={STATUS_TONE[goal.status] ?? 'grey'}>{goal.status.replace('_', ' ')}</Badge>
      </Td>
      <Td className="whitespace-nowrap">
        <Countdown expiresAt={goal.expiresAt} />
      </Td>
      {canEdit && (
        <Td pinned className="whitespace-nowrap text-right">
          <Button variant="secondary" size="sm" busy={busy} onClick={onToggle}>
            {goal.isActive ? 'Deactivate' : 'Activate'}
          </Button>{' '}
          <Button variant="ghost" size="sm" disabled={!goal.assignedAt} onClick={onReset}>
            Reset
          </Button>
        </Td>
      )}
    </tr>
  );
}
