'use client';
import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Empty, ErrorText, Loading } from '@/components/ui/feedback';
import { plural } from '@/lib/plural';
import { useTRPC } from '@/lib/trpc';

const PAGE_SIZE = 20;

/** Players whose id starts with `prefix`, each a link to their page; more on request. */
export function PlayerSearchResults({ prefix }: { prefix: string }) {
  const trpc = useTRPC();
  const search = useInfiniteQuery(
    trpc.player.search.infiniteQueryOptions(
      { prefix, limit: PAGE_SIZE },
      { getNextPageParam: (last) => last.next },
    ),
  );
  const ids = search.data?.pages.flatMap((page) => page.ids) ?? [];
  return (
    <Card title={`Players starting with “${prefix}”`} className="mb-6">
      {search.isPending ? (
        <Loading />
      ) : search.isError ? (
        <ErrorText error={search.error} />
      ) : ids.length === 0 ? (
        <Empty>
          No player id starts with “{prefix}”: no events or goals were recorded for one.
        </Empty>
      ) : (
        <div className="space-y-3">
          <ul aria-label="Matching players" className="grid gap-1 sm:grid-cols-2 lg:grid-cols-3">
            {ids.map((id) => (
              <li key={id} className="min-w-0">
                <Link
                  href={`/players?user=${encodeURIComponent(id)}`}
                  className="block truncate rounded-md px-2 py-1 font-mono text-xs text-indigo-700 hover:bg-indigo-50 hover:text-indigo-900"
                >
                  {id}
                </Link>
              </li>
            ))}
          </ul>
          <div className="flex items-center justify-between gap-2">
            <span className="text-xs text-slate-500">{plural(ids.length, 'player')} shown</span>
            {search.hasNextPage && (
              <Button
                variant="secondary"
                size="sm"
                busy={search.isFetchingNextPage}
                onClick={() => search.fetchNextPage()}
              >
                More players
              </Button>
            )}
          </div>
        </div>
      )}
    </Card>
  );
}
