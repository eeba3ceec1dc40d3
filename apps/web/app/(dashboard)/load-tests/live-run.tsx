'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useCan } from '@/components/session';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/dialog';
import { ErrorText, Loading } from '@/components/ui/feedback';
import { describeError, useTRPC } from '@/lib/trpc';
import { MetricChart } from '../live/charts';
import { fmt, type Progress, type RunRow, STATUS_TONE } from './report-types';

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-md bg-slate-50 px-3 py-2 ring-1 ring-slate-200">
      <p className="text-xs font-medium text-slate-500">{label}</p>
      <p className="mt-0.5 text-lg font-semibold tabular-nums text-slate-900" data-stat={label}>
        {value}
      </p>
    </div>
  );
}

/** Follows one run every second until it ends, then hands it back (to open its report). */
export function LiveRun({ id, onEnded }: { id: string; onEnded: (run: RunRow) => void }) {
  const isAdmin = useCan('admin');
  const trpc = useTRPC();
  const run = useQuery(
    trpc.loadtest.get.queryOptions(
      { id },
      { refetchInterval: (query) => (query.state.data?.status === 'running' ? 1000 : false) },
    ),
  );
  // The row keeps only the latest progress, so the chart's history is collected here.
  const [points, setPoints] = useState<Record<string, number | null>[]>([]);
  const ended = useRef(false);
  const [confirming, setConfirming] = useState(false);
  const cancel = useMutation(
    trpc.loadtest.cancel.mutationOptions({ onSuccess: () => setConfirming(false) }),
  );

  const data = run.data;
  const progress = data?.progress as Progress | null | undefined;
  useEffect(() => {
    if (!data) return;
    if (progress) {
      setPoints((old) =>
        [
          ...old,
          { t: Date.now(), rps: progress.rps, eps: progress.eps, p95: progress.p95Ms },
        ].slice(-600),
      );
    }
    if (data.status !== 'running' && !ended.current) {
      ended.current = true;
      onEnded(data);
    }
  }, [data, progress, onEnded]);

  if (run.isPending) return <Loading />;
  if (run.isError) return <ErrorText error={run.error} />;
  const row = run.data;
  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          Run {row.id} · {row.scenario}
          <Badge tone={STATUS_TONE[row.status]}>{row.status}</Badge>
          {progress && <Badge tone="grey">{progress.phase}</Badge>}
        </span>
      }
      actions={
        isAdmin &&
        row.status === 'running' && (
          <Button variant="danger" size="sm" onClick={() => setConfirming(true)}>
            Cancel run
          </Button>
        )
      }
    >
      <div className="space-y-4">
        <div className="grid grid-cols-2 gap-2 md:grid-cols-4 xl:grid-cols-7">
          <Stat
            label="Elapsed"
            value={progress ? `${fmt(progress.elapsedS, 0)} / ${progress.durationS} s` : '—'}
          />
          <Stat label="Requests/s" value={fmt(progress?.rps, 0)} />
          <Stat label="Events/s" value={fmt(progress?.eps, 0)} />
          <Stat label="p95 (ms)" value={fmt(progress?.p95Ms)} />
          <Stat label="Completed" value={fmt(progress?.completed, 0)} />
          <Stat label="Errors" value={fmt(progress?.errors, 0)} />
          <Stat label="Dropped" value={fmt(progress?.dropped, 0)} />
        </div>
        {points.length > 0 && (
          <MetricChart
            title="Throughput and p95 while running"
            data={points}
            lines={[
              { key: 'rps', label: 'requests/s' },
              { key: 'eps', label: 'events/s' },
              { key: 'p95', label: 'p95 ms' },
            ]}
          />
        )}
        {row.error && <ErrorText error={new Error(row.error)} />}
      </div>
      <ConfirmDialog
        open={confirming && row.status === 'running'}
        title={`Cancel ${row.id}?`}
        confirmLabel="Cancel run"
        cancelLabel="Keep running"
        busy={cancel.isPending}
        error={cancel.error ? describeError(cancel.error).message : null}
        onConfirm={() => cancel.mutate({ id })}
        onCancel={() => {
          setConfirming(false);
          cancel.reset();
        }}
      >
        The runner stops at once: the run ends as cancelled, without a verdict, and its test players
        are removed.
      </ConfirmDialog>
    </Card>
  );
}
