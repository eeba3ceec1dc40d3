'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { PageHeader } from '@/components/page-header';
import { useCan } from '@/components/session';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Empty, ErrorText, Loading } from '@/components/ui/feedback';
import { Table, Td, Th } from '@/components/ui/table';
import { Tabs } from '@/components/ui/tabs';
import { plural } from '@/lib/plural';
import { trpc } from '@/lib/trpc';
import { formatBytes, MetricChart } from './charts';
import { ProfileButton, ProfileResult, useCpuProfile } from './profile-panel';
import { endpointRates, latest, type ProcessSeries, perProcess, totals } from './series';

// The api keeps the last 300 points (one per second) per process, so 5 minutes is the
// longest window it can answer; a 15-minute view would need a longer retention there.
const WINDOWS = [
  { id: '60', label: '1 min' },
  { id: '300', label: '5 min' },
] as const;
type WindowId = (typeof WINDOWS)[number]['id'];

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-lg bg-white px-4 py-3 shadow-sm ring-1 ring-slate-200">
      <p className="text-xs font-medium text-slate-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums text-slate-900" data-stat={label}>
        {value}
      </p>
    </div>
  );
}

const fmt = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined ? '—' : n.toFixed(digits);

function Processes({ series }: { series: ProcessSeries[] }) {
  const isAdmin = useCan('admin');
  const profile = useCpuProfile();
  return (
    <>
      <Card title="Processes">
        <Table>
          <thead>
            <tr>
              <Th>Process</Th>
              <Th>Role</Th>
              <Th className="text-right">CPU %</Th>
              <Th className="text-right">Heap</Th>
              <Th className="text-right">RSS</Th>
              <Th className="text-right">Loop p99</Th>
              {isAdmin && <Th className="text-right">Profile</Th>}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {series.map((process) => {
              const point = latest(process);
              return (
                <tr key={process.id}>
                  <Td className="font-mono text-xs">{process.id}</Td>
                  <Td>
                    <Badge tone="blue">{process.role}</Badge>
                  </Td>
                  <Td className="text-right tabular-nums">{fmt(point?.cpuPercent)}</Td>
                  <Td className="text-right tabular-nums">
                    {point ? formatBytes(point.heapUsedBytes) : '—'}
                  </Td>
                  <Td className="text-right tabular-nums">
                    {point ? formatBytes(point.rssBytes) : '—'}
                  </Td>
                  <Td className="text-right tabular-nums">{fmt(point?.eventLoopP99Ms)} ms</Td>
                  {isAdmin && (
                    <Td className="text-right">
                      <ProfileButton processId={process.id} profile={profile} />
                    </Td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </Table>
      </Card>
      <ProfileResult profile={profile} />
    </>
  );
}

export default function LivePage() {
  const [windowId, setWindowId] = useState<WindowId>('60');
  const live = useQuery({
    queryKey: ['live.series', windowId],
    queryFn: () => trpc.live.series.query({ windowSeconds: Number(windowId) }),
    refetchInterval: 1000,
    // Keep drawing the last answer while the next one (or another window) loads.
    placeholderData: keepPreviousData,
  });
  const series = live.data ?? [];
  const summed = totals(series);
  // The newest second may still miss processes that have not published it yet.
  const last = summed[summed.length - 2] ?? summed[summed.length - 1];
  const endpoints = endpointRates(series);
  return (
    <>
      <PageHeader
        title="Live"
        description={`${plural(series.length, 'process', 'processes')} reporting · one point per second`}
        actions={
          <div className="w-44">
            <Tabs
              label="Time window"
              items={[...WINDOWS]}
              value={windowId}
              onChange={setWindowId}
            />
          </div>
        }
      />
      {live.isPending && <Loading />}
      {live.isError && <ErrorText error={live.error} />}
      {live.data && series.length === 0 && <Empty>No process has reported in the last 10 s.</Empty>}
      {series.length > 0 && (
        <div className="space-y-6">
          <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <Stat label="Requests/s" value={fmt(last?.requests ?? 0, 0)} />
            <Stat label="Events/s" value={fmt(last?.received ?? 0, 0)} />
            <Stat label="p95 latency (ms)" value={fmt(last?.p95)} />
            <Stat label="Queue depth" value={fmt(last?.queueDepth, 0)} />
          </div>
          <div className="grid gap-4 xl:grid-cols-2">
            <MetricChart title="Requests per endpoint" unit="req/s" {...endpoints} />
            <MetricChart
              title="Events"
              unit="events/s"
              data={summed}
              lines={[
                { key: 'received', label: 'received' },
                { key: 'applied', label: 'applied' },
              ]}
            />
            <MetricChart
              title="Latency, slowest process"
              unit="ms"
              data={summed}
              lines={[
                { key: 'p50', label: 'p50' },
                { key: 'p95', label: 'p95' },
                { key: 'p99', label: 'p99' },
              ]}
            />
            <MetricChart
              title="Queue"
              data={summed}
              lines={[
                { key: 'queueDepth', label: 'depth (jobs)' },
                { key: 'lagMs', label: 'lag (ms)' },
              ]}
            />
            <MetricChart title="CPU" unit="%" {...perProcess(series, (p) => p.cpuPercent)} />
            <MetricChart
              title="Heap used"
              format={formatBytes}
              {...perProcess(series, (p) => p.heapUsedBytes)}
            />
            <MetricChart
              title="RSS"
              format={formatBytes}
              {...perProcess(series, (p) => p.rssBytes)}
            />
            <MetricChart
              title="Event-loop delay p99"
              unit="ms"
              {...perProcess(series, (p) => p.eventLoopP99Ms)}
            />
          </div>
          <Processes series={series} />
        </div>
      )}
    </>
  );
}
