'use client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { type FormEvent, Suspense, useState } from 'react';
import { PageHeader } from '@/components/page-header';
import { useCan } from '@/components/session';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { CursorPager, useCursorPages } from '@/components/ui/cursor-pages';
import { ErrorText, Loading } from '@/components/ui/feedback';
import { Input, Select } from '@/components/ui/input';
import { EmptyRow, Table, Th } from '@/components/ui/table';
import { plural } from '@/lib/plural';
import { useTRPC } from '@/lib/trpc';
import { GrantEventsDialog } from './grant-events-dialog';
import { type Grant, GrantRow, type GrantStatus } from './grant-row';

const PAGE_SIZE = 25;
const STATUSES: { value: GrantStatus | 'any'; label: string }[] = [
  { value: 'failed', label: 'Failed' },
  { value: 'pending', label: 'Pending' },
  { value: 'granted', label: 'Granted' },
  { value: 'any', label: 'Any status' },
];

interface Filters {
  status: GrantStatus | 'any';
  userId: string;
  goalId: string;
}

/**
 * Failed grants first: they are what needs a person; pending ones the worker still retries.
 * A link from a player's page opens the list filtered (`?user=…&goal=…&status=any`).
 */
function initialFilters(params: URLSearchParams): Filters {
  const status = params.get('status');
  return {
    status: STATUSES.find((s) => s.value === status)?.value ?? 'failed',
    userId: params.get('user') ?? '',
    goalId: params.get('goal') ?? '',
  };
}

function Rewards() {
  const canRetry = useCan('editor');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const params = useSearchParams();
  const [filters, setFilters] = useState<Filters>(() => initialFilters(params));
  const [userText, setUserText] = useState(filters.userId);
  const [goalText, setGoalText] = useState(filters.goalId);
  const pages = useCursorPages<string>();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [opened, setOpened] = useState<Grant | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const cursor = pages.cursor;
  const grants = useQuery(
    trpc.reward.list.queryOptions(
      {
        status: filters.status === 'any' ? undefined : filters.status,
        userId: filters.userId || undefined,
        goalId: filters.goalId || undefined,
        limit: PAGE_SIZE,
        cursor,
      },
      // Retried grants move on within seconds (the worker's scan); the page follows along.
      { refetchInterval: 2000, placeholderData: keepPreviousData },
    ),
  );

  const retry = useMutation(
    trpc.reward.retry.mutationOptions({
      onSuccess: async ({ retried }) => {
        setSelected(new Set());
        setNotice(
          `${plural(retried, 'grant')} queued for delivery — the worker sends them within seconds.`,
        );
        await queryClient.invalidateQueries(trpc.reward.list.pathFilter());
        await queryClient.invalidateQueries(trpc.reward.events.pathFilter());
      },
    }),
  );

  const applyFilters = (next: Filters) => {
    setFilters(next);
    pages.reset();
    setSelected(new Set());
    setNotice(null);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    applyFilters({ ...filters, userId: userText.trim(), goalId: goalText.trim() });
  };

  const items = grants.data?.items ?? [];
  const selectable = items.filter((g) => g.status !== 'granted');
  const allSelected = selectable.length > 0 && selectable.every((g) => selected.has(g.id));
  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  // The dialog shows the row's latest state while it is on this page, else the one it opened
  // with (a retried grant leaves the "failed" list while its dialog is still open).
  const openGrant = (opened && items.find((g) => g.id === opened.id)) ?? opened;
  const columns = canRetry ? 9 : 8;

  return (
    <>
      <PageHeader
        title="Rewards"
        description="Reward grants that wait for delivery or failed for good; retry them once the game backend is fixed."
      />
      <form
        onSubmit={submit}
        className="mb-4 grid items-end gap-2 sm:grid-cols-[12rem_1fr_1fr_auto]"
        aria-label="Filter grants"
      >
        <Select
          label="Status"
          value={filters.status}
          onChange={(e) =>
            applyFilters({ ...filters, status: e.currentTarget.value as Filters['status'] })
          }
        >
          {STATUSES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </Select>
        <Input
          label="User id"
          placeholder="any player"
          maxLength={200}
          value={userText}
          onChange={(e) => setUserText(e.target.value)}
        />
        <Input
          label="Goal id"
          placeholder="any goal"
          maxLength={200}
          value={goalText}
          onChange={(e) => setGoalText(e.target.value)}
        />
        <Button type="submit" variant="secondary">
          Filter
        </Button>
      </form>

      <Card
        title="Grants"
        actions={
          canRetry && (
            <Button
              disabled={selected.size === 0}
              busy={retry.isPending}
              onClick={() => retry.mutate({ ids: [...selected] })}
            >
              Retry selected ({selected.size})
            </Button>
          )
        }
      >
        <div className="space-y-3">
          <ErrorText error={retry.error} />
          {notice && (
            <p
              role="status"
              className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-700"
            >
              {notice}
            </p>
          )}
          {grants.isPending ? (
            <Loading />
          ) : grants.isError ? (
            <ErrorText error={grants.error} />
          ) : (
            <Table>
              <thead>
                <tr>
                  {canRetry && (
                    <Th className="w-8">
                      <input
                        type="checkbox"
                        className="size-4 rounded border-slate-300 accent-indigo-600"
                        aria-label="Select every retryable grant on this page"
                        disabled={selectable.length === 0}
                        checked={allSelected}
                        onChange={(e) =>
                          setSelected(
                            e.currentTarget.checked
                              ? new Set(selectable.map((g) => g.id))
                              : new Set(),
                          )
                        }
                      />
                    </Th>
                  )}
                  <Th>User</Th>
                  <Th>Goal · reward</Th>
                  <Th pinned>Status</Th>
                  <Th className="text-right">Attempts</Th>
                  <Th>Last error</Th>
                  <Th>Created</Th>
                  <Th>Updated</Th>
                  <Th>Granted</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {items.length === 0 && (
                  <EmptyRow colSpan={columns}>
                    {filters.status === 'failed'
                      ? 'No failed grants: every reward was delivered or is still being retried.'
                      : 'No grants match these filters.'}
                  </EmptyRow>
                )}
                {items.map((grant) => (
                  <GrantRow
                    key={grant.id}
                    grant={grant}
                    canRetry={canRetry}
                    selected={selected.has(grant.id)}
                    onSelect={(on) => toggle(grant.id, on)}
                    onOpen={() => setOpened(grant)}
                  />
                ))}
              </tbody>
            </Table>
          )}
          <CursorPager
            pages={pages}
            next={grants.data?.nextCursor}
            labels={{ back: 'Previous', forward: 'Next' }}
          />
        </div>
      </Card>

      <GrantEventsDialog
        grant={openGrant}
        canRetry={canRetry}
        retrying={retry.isPending}
        onRetry={(id) => retry.mutate({ ids: [id] })}
        onClose={() => setOpened(null)}
      />
    </>
  );
}

export default function RewardsPage() {
  // useSearchParams needs a Suspense boundary for the static build of this page.
  return (
    <Suspense fallback={<Loading />}>
      <Rewards />
    </Suspense>
  );
}
