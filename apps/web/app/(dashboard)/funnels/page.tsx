'use client';
import { keepPreviousData, skipToken, useQuery } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense } from 'react';
import { PageHeader } from '@/components/page-header';
import { Card } from '@/components/ui/card';
import { Empty, ErrorText, Loading } from '@/components/ui/feedback';
import { Select } from '@/components/ui/input';
import { displayText, draftDefaultLocale } from '@/lib/localized-text';
import { useTRPC } from '@/lib/trpc';
import { FunnelChart } from './funnel-chart';
import { FunnelTable } from './funnel-table';

/** The A/B funnel of one challenge per goal and variant, refreshed every 5 s (one query). */
function Funnels() {
  const router = useRouter();
  const params = useSearchParams();
  const trpc = useTRPC();
  const live = useQuery(trpc.challenge.export.queryOptions({}));
  const challenges = live.data?.content.challenges ?? [];
  const challengeId = params.get('challenge') ?? challenges[0]?.challengeId ?? '';
  const funnel = useQuery({
    ...trpc.challenge.funnel.queryOptions(challengeId === '' ? skipToken : { challengeId }),
    refetchInterval: 5000,
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader
        title="Funnels"
        description="Per goal and A/B variant: assigned → active → completed → claimed, live"
        actions={
          <Select
            label="Challenge"
            value={challengeId}
            onChange={(e) =>
              router.replace(`/funnels?challenge=${encodeURIComponent(e.target.value)}`)
            }
          >
            {challenges.map((c) => (
              <option key={c.challengeId} value={c.challengeId}>
                {displayText(c.name, draftDefaultLocale(live.data?.content ?? {}))} ({c.challengeId}
                )
              </option>
            ))}
          </Select>
        }
      />
      {live.error && <ErrorText error={live.error} />}
      {funnel.error && <ErrorText error={funnel.error} />}
      {live.isLoading && <Loading />}
      {!live.isLoading && challenges.length === 0 && <Empty>Nothing is published yet.</Empty>}
      {funnel.data && (
        <div className="space-y-4">
          <Card title="Funnel">
            <div className="p-4">
              <FunnelChart goals={funnel.data.goals} />
            </div>
          </Card>
          <Card title="Per goal and variant">
            <FunnelTable goals={funnel.data.goals} />
          </Card>
        </div>
      )}
    </>
  );
}

export default function FunnelsPage() {
  // useSearchParams needs a Suspense boundary for the static build of this page.
  return (
    <Suspense fallback={<Loading />}>
      <Funnels />
    </Suspense>
  );
}
