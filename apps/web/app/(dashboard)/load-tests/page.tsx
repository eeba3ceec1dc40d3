'use client';
import { skipToken, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { PageHeader } from '@/components/page-header';
import { useCan } from '@/components/session';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorText, Loading } from '@/components/ui/feedback';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { plural } from '@/lib/plural';
import { useTRPC } from '@/lib/trpc';
import { CompareRuns } from './compare-runs';
import { LiveRun } from './live-run';
import { type RunSummary, STATUS_TONE } from './report-types';
import { RunReport } from './run-report';
import { StartForm } from './start-form';

function useRun(id: string | null) {
  const trpc = useTRPC();
  return useQuery(trpc.loadtest.get.queryOptions(id === null ? skipToken : { id }));
}

function options(run: RunSummary): string {
  const o = run.options as Record<string, unknown>;
  const duration = o.durationSeconds ?? o.durationS;
  return `${o.rps ?? '—'} rps · ${o.eps ?? 0} eps · ${duration ?? '—'} s · ${typeof o.users === 'number' ? plural(o.users, 'user') : '— users'}`;
}

function Verdict({ passed }: { passed: boolean | null }) {
  if (passed === null) return <span className="text-slate-400">—</span>;
  return passed ? <Badge tone="green">PASS</Badge> : <Badge tone="red">FAIL</Badge>;
}

/**
 * Only runs with a report compare, and only runs of one scenario: a list run's p95 next to an
 * events run's says nothing about either.
 */
function History({
  runs,
  compare,
  onToggle,
  onOpen,
}: {
  runs: RunSummary[];
  compare: string[];
  onToggle: (id: string) => void;
  onOpen: (id: string) => void;
}) {
  const scenario = runs.find((r) => r.id === compare[0])?.scenario ?? null;
  return (
    <Table>
      <thead>
        <tr>
          <Th>Compare</Th>
          <Th>Run</Th>
          <Th>Scenario</Th>
          <Th>Options</Th>
          <Th>Status</Th>
          <Th>Verdict</Th>
          <Th>Started</Th>
          <Th pinned className="text-right">
            Report
          </Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {runs.length === 0 && <EmptyRow colSpan={8}>No load test has run yet.</EmptyRow>}
        {runs.map((run) => (
          <tr key={run.id} data-run={run.id}>
            <Td>
              <input
                type="checkbox"
                aria-label={`Compare ${run.id}`}
                title={
                  run.scenario === scenario || scenario === null
                    ? undefined
                    : `Only ${scenario} runs compare with the ticked one`
                }
                checked={compare.includes(run.id)}
                disabled={
                  run.status === 'running' ||
                  run.passed === null ||
                  (scenario !== null && run.scenario !== scenario)
                }
                onChange={() => onToggle(run.id)}
              />
            </Td>
            <Td className="font-mono text-xs">{run.id}</Td>
            <Td>{run.scenario}</Td>
            <Td className="text-xs text-slate-500">{options(run)}</Td>
            <Td>
              <Badge tone={STATUS_TONE[run.status]}>{run.status}</Badge>
            </Td>
            <Td>
              <Verdict passed={run.passed} />
            </Td>
            <Td className="whitespace-nowrap text-xs">
              <Time at={run.startedAt} />
            </Td>
            <Td pinned className="text-right">
              <Button variant="secondary" size="sm" onClick={() => onOpen(run.id)}>
                {run.status === 'running' ? 'Watch' : 'Open report'}
              </Button>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export default function LoadTestsPage() {
  const isAdmin = useCan('admin');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(
    trpc.loadtest.list.queryOptions(
      { limit: 50 },
      // Picks up runs started elsewhere (the CLI, another admin) without a reload.
      { refetchInterval: 5000 },
    ),
  );
  const refreshList = useCallback(
    () => queryClient.invalidateQueries(trpc.loadtest.list.pathFilter()),
    [queryClient, trpc],
  );
  const [watching, setWatching] = useState<string | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const [compare, setCompare] = useState<string[]>([]);
  const running = list.data?.find((r) => r.status === 'running')?.id ?? null;
  const live = watching ?? running;
  const report = useRun(opened);
  const runA = useRun(compare.length === 2 ? compare[0]! : null);
  const runB = useRun(compare.length === 2 ? compare[1]! : null);

  const onEnded = useCallback(
    (run: { id: string }) => {
      void refreshList();
      setWatching(null);
      setOpened(run.id);
    },
    [refreshList],
  );
  const open = (id: string) => {
    const run = list.data?.find((r) => r.id === id);
    if (run?.status === 'running') setWatching(id);
    else setOpened(id);
  };
  // The two most recently ticked runs; a third tick replaces the older one.
  const toggle = (id: string) =>
    setCompare((old) => (old.includes(id) ? old.filter((x) => x !== id) : [...old, id].slice(-2)));

  return (
    <>
      <PageHeader
        title="Load tests"
        description="Scenarios run against this stack: watch them live, read and compare their reports."
      />
      <div className="space-y-6">
        {isAdmin && !live && (
          <StartForm
            onStarted={(id) => {
              setWatching(id);
              setOpened(null);
              void refreshList();
            }}
          />
        )}
        {live && <LiveRun key={live} id={live} onEnded={onEnded} />}
        <Card
          title="History"
          actions={
            compare.length > 0 && (
              <span className="text-xs text-slate-500">
                {compare.length === 2
                  ? 'Comparing the two ticked runs below'
                  : 'Tick one more run to compare'}
              </span>
            )
          }
        >
          {list.isPending && <Loading />}
          {list.isError && <ErrorText error={list.error} />}
          {list.data && (
            <History runs={list.data} compare={compare} onToggle={toggle} onOpen={open} />
          )}
        </Card>
        {runA.data && runB.data && <CompareRuns a={runA.data} b={runB.data} />}
        {(runA.error || runB.error) && <ErrorText error={runA.error ?? runB.error} />}
        {opened && report.isPending && <Loading />}
        {report.isError && <ErrorText error={report.error} />}
        {report.data && report.data.status !== 'running' && <RunReport run={report.data} />}
      </div>
    </>
  );
}
