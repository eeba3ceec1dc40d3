'use client';
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Td } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import type { RouterOutputs } from '@/lib/trpc';

export type Grant = RouterOutputs['reward']['list']['items'][number];
export type GrantStatus = Grant['status'];

export const STATUS_TONE: Record<GrantStatus, 'amber' | 'green' | 'red'> = {
  pending: 'amber',
  granted: 'green',
  failed: 'red',
};

export function GrantRow({
  grant,
  canRetry,
  selected,
  onSelect,
  onOpen,
}: {
  grant: Grant;
  canRetry: boolean;
  selected: boolean;
  onSelect: (selected: boolean) => void;
  onOpen: () => void;
}) {
  const { reward } = grant;
  return (
    <tr
      data-grant={grant.id}
      data-status={grant.status}
      className={selected ? 'bg-indigo-50/60' : ''}
    >
      {canRetry && (
        <Td>
          {/* A granted reward is done: retrying it is refused, so it cannot be selected. */}
          <input
            type="checkbox"
            className="size-4 rounded border-slate-300 accent-indigo-600"
            aria-label={`Select grant ${grant.id}`}
            disabled={grant.status === 'granted'}
            checked={selected}
            onChange={(e) => onSelect(e.currentTarget.checked)}
          />
        </Td>
      )}
      <Td>
        <Link
          href={`/players?user=${encodeURIComponent(grant.userId)}&tab=timeline`}
          className="font-mono text-xs text-indigo-700 underline underline-offset-2 hover:text-indigo-900"
          title="This player's timeline"
        >
          {grant.userId}
        </Link>
      </Td>
      {/* Goal and reward share a cell so the whole row fits a laptop screen without scrolling. */}
      <Td>
        <div className="font-medium text-slate-800">{grant.goalId}</div>
        <div className="whitespace-nowrap text-xs text-slate-500">
          <code>{grant.challengeId}</code> · {reward.quantity} × {reward.rewardId} ({reward.type})
        </div>
      </Td>
      {/* The details button sits under the status, not in a column of its own, to save width. */}
      <Td pinned className="whitespace-nowrap">
        <Badge tone={STATUS_TONE[grant.status]}>{grant.status}</Badge>
        <div>
          <Button
            variant="ghost"
            size="sm"
            className="-ml-2.5 mt-0.5 shadow-none"
            onClick={onOpen}
            aria-label={`Details of grant ${grant.id}`}
          >
            Details
          </Button>
        </div>
      </Td>
      <Td className="text-right tabular-nums">{grant.attempts}</Td>
      <Td className="min-w-36 max-w-64">
        {grant.lastError ? (
          <span className="line-clamp-2 text-xs text-rose-700" title={grant.lastError}>
            {grant.lastError}
          </span>
        ) : (
          <span className="text-slate-400">—</span>
        )}
      </Td>
      <Td className="text-xs">
        <Time at={grant.createdAt} stacked />
      </Td>
      <Td className="text-xs">
        <Time at={grant.updatedAt} stacked />
      </Td>
      <Td className="text-xs">
        <Time at={grant.grantedAt} stacked />
      </Td>
    </tr>
  );
}
