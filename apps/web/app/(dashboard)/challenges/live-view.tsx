'use client';
import { skipToken, useQuery } from '@tanstack/react-query';
import { Empty, ErrorText, Loading } from '@/components/ui/feedback';
import { asDefinitions } from '@/lib/definitions';
import { useTRPC } from '@/lib/trpc';
import { ChallengeForm } from './challenge-form';
import type { GoalCounts } from './goal-stats';

const ignore = () => {};

/** What players are served now: the live version, read-only, in the same form as the draft. */
export function LiveView({
  liveVersion,
  stats,
}: {
  liveVersion: number | null;
  stats: Map<string, GoalCounts> | undefined;
}) {
  const trpc = useTRPC();
  // The live version by its number: a publish or rollback elsewhere shows here once the draft
  // query sees the new number.
  const live = useQuery(
    trpc.challenge.export.queryOptions(liveVersion === null ? skipToken : { version: liveVersion }),
  );
  if (liveVersion === null) return <Empty>Nothing is published yet.</Empty>;
  if (live.isPending) return <Loading />;
  if (live.isError) return <ErrorText error={live.error} />;
  const content = asDefinitions(live.data.content);
  return (
    <section aria-label={`Live version ${live.data.version}`}>
      <p className="mb-3 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600">
        Live version v{live.data.version}, read-only: what every player is served now.
      </p>
      {content && <ChallengeForm content={content} readOnly stats={stats} onChange={ignore} />}
    </section>
  );
}
