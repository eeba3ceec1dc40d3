'use client';
import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Empty, ErrorText, Loading } from '@/components/ui/feedback';
import { Time } from '@/components/ui/time';
import { plural } from '@/lib/plural';
import { type RouterOutputs, useTRPC } from '@/lib/trpc';

type Entry = RouterOutputs['player']['timeline']['entries'][number];

const PAGE_SIZE = 50;

const KIND: Record<
  Entry['kind'],
  { label: string; tone: 'grey' | 'blue' | 'green' | 'indigo' | 'amber' }
> = {
  events: { label: 'events applied', tone: 'blue' },
  assigned: { label: 'assigned', tone: 'grey' },
  completed: { label: 'completed', tone: 'green' },
  claimed: { label: 'claimed', tone: 'indigo' },
  grant: { label: 'reward grant', tone: 'amber' },
};

/** The Rewards page filtered to this player's grants of one goal, in any status. */
export function rewardsHref(userId: string, goalId?: string | null): string {
  const params = new URLSearchParams({ user: userId, status: 'any' });
  if (goalId) params.set('goal', goalId);
  return `/rewards?${params}`;
}

function GoalName({ entry }: { entry: Entry }) {
  return (
    <>
      <code className="text-xs text-slate-800">{entry.goalId}</code>
      <span className="text-xs text-slate-500"> in {entry.challengeId}</span>
    </>
  );
}

function entryText(entry: Entry, userId: string): ReactNode {
  switch (entry.kind) {
    case 'events':
      // The ledger keeps counters, not each event: the time is that of the latest one.
      return (
        <>
          {plural(entry.count ?? 0, 'event')} of <code className="text-xs">{entry.statKey}</code> so
          far, the latest at this time
        </>
      );
    case 'assigned':
      return (
        <>
          <GoalName entry={entry} /> — {entry.status} now
        </>
      );
    case 'grant':
      return (
        <>
          <GoalName entry={entry} /> —{' '}
          {entry.attempt === 0
            ? 'created, waiting for delivery'
            : `attempt ${entry.attempt}: ${entry.status}`}
          {entry.error && <span className="text-rose-700"> ({entry.error})</span>} ·{' '}
          <Link
            className="text-indigo-700 underline underline-offset-2 hover:text-indigo-900"
            href={rewardsHref(userId, entry.goalId)}
          >
            grant {entry.grantId} in Rewards
          </Link>
        </>
      );
    default:
      return <GoalName entry={entry} />;
  }
}

/** What happened to one player, newest first; older entries load on request. */
export function PlayerTimeline({ userId }: { userId: string }) {
  const trpc = useTRPC();
  const timeline = useInfiniteQuery(
    trpc.player.timeline.infiniteQueryOptions(
      { userId, limit: PAGE_SIZE },
      { getNextPageParam: (last) => last.nextCursor },
    ),
  );
  if (timeline.isPending) return <Loading />;
  if (timeline.isError) return <ErrorText error={timeline.error} />;
  const entries = timeline.data.pages.flatMap((page) => page.entries);
  if (entries.length === 0) {
    return <Empty>Nothing recorded for {userId} yet: no events, assignments or rewards.</Empty>;
  }
  return (
    <div className="space-y-3">
      <ol aria-label={`Timeline of ${userId}`} className="divide-y divide-slate-100">
        {entries.map((entry, index) => (
          <li
            // biome-ignore lint/suspicious/noArrayIndexKey: entries carry no id of their own; pages only append, so an index keeps its entry.
            key={index}
            data-kind={entry.kind}
            className="grid gap-x-3 gap-y-1 py-2 text-sm sm:grid-cols-[11rem_8rem_1fr]"
          >
            <span className="text-xs text-slate-500">
              <Time at={entry.at} />
            </span>
            <span>
              <Badge tone={KIND[entry.kind].tone}>{KIND[entry.kind].label}</Badge>
            </span>
            <span className="min-w-0 break-words text-slate-700">{entryText(entry, userId)}</span>
          </li>
        ))}
      </ol>
      <div className="flex items-center justify-between gap-2">
        <span className="text-xs text-slate-500">
          {plural(entries.length, 'entry', 'entries')} shown
        </span>
        {timeline.hasNextPage && (
          <Button
            variant="secondary"
            size="sm"
            busy={timeline.isFetchingNextPage}
            onClick={() => timeline.fetchNextPage()}
          >
            Older entries
          </Button>
        )}
      </div>
    </div>
  );
}
