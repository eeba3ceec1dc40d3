'use client';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, Suspense, useEffect, useState } from 'react';
import { PageHeader } from '@/components/page-header';
import { Button } from '@/components/ui/button';
import { Empty, Loading } from '@/components/ui/feedback';
import { Input } from '@/components/ui/input';
import { Tabs } from '@/components/ui/tabs';
import { PlayerGoals } from './player-goals';
import { PlayerSearchResults } from './player-search-results';
import { PlayerTimeline, rewardsHref } from './player-timeline';

type Tab = 'goals' | 'timeline';
const TABS: { id: Tab; label: string }[] = [
  { id: 'goals', label: 'Goals' },
  { id: 'timeline', label: 'Timeline' },
];

function Player({ userId, tab }: { userId: string; tab: Tab }) {
  const router = useRouter();
  const show = (next: Tab) =>
    router.replace(`/players?user=${encodeURIComponent(userId)}&tab=${next}`);
  return (
    <section aria-label={`Player ${userId}`} className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="min-w-0 break-all font-mono text-sm font-semibold text-slate-800">
          {userId}
        </h2>
        <Link
          href={rewardsHref(userId)}
          className="text-sm text-indigo-700 underline underline-offset-2 hover:text-indigo-900"
        >
          Reward grants of this player
        </Link>
      </div>
      <Tabs label="Player views" items={TABS} value={tab} onChange={show} />
      <div role="tabpanel">
        {tab === 'timeline' ? <PlayerTimeline userId={userId} /> : <PlayerGoals userId={userId} />}
      </div>
    </section>
  );
}

function PlayersSearch() {
  const router = useRouter();
  const params = useSearchParams();
  const userId = params.get('user') ?? '';
  const prefix = params.get('q') ?? '';
  const [text, setText] = useState(userId || prefix);
  // A link (a search result, the Rewards page) changes the URL without remounting the page.
  useEffect(() => setText(userId || prefix), [userId, prefix]);
  const tab: Tab = params.get('tab') === 'timeline' ? 'timeline' : 'goals';
  // The id or prefix lives in the URL so a look-up can be shared and survives a reload.
  const go = (key: 'user' | 'q') => {
    const id = text.trim();
    if (id) router.push(`/players?${key}=${encodeURIComponent(id)}`);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    go('user');
  };
  return (
    <>
      <PageHeader
        title="Players"
        description="Look up a player's goals, progress and expiry, and what happened to them."
      />
      <form onSubmit={submit} className="mb-6 flex max-w-xl flex-wrap items-end gap-2">
        <Input
          className="min-w-full flex-1 sm:min-w-0"
          label="User id"
          placeholder="e.g. alice"
          value={text}
          maxLength={128}
          onChange={(e) => setText(e.target.value)}
        />
        <Button type="submit">Look up</Button>
        <Button type="button" variant="secondary" onClick={() => go('q')}>
          Search
        </Button>
      </form>
      {prefix && <PlayerSearchResults key={prefix} prefix={prefix} />}
      {userId ? (
        <Player key={userId} userId={userId} tab={tab} />
      ) : (
        !prefix && (
          <Empty>
            Enter a user id to see their goals and timeline, or the start of one and Search.
          </Empty>
        )
      )}
    </>
  );
}

export default function PlayersPage() {
  // useSearchParams needs a Suspense boundary for the static build of this page.
  return (
    <Suspense fallback={<Loading />}>
      <PlayersSearch />
    </Suspense>
  );
}
