'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { PageHeader } from '@/components/page-header';
import { Button } from '@/components/ui/button';
import { Empty, ErrorText, Loading } from '@/components/ui/feedback';
import { Select } from '@/components/ui/input';
import { Tabs } from '@/components/ui/tabs';
import { formatClock } from '@/lib/format-time';
import { plural } from '@/lib/plural';
import { useTRPC } from '@/lib/trpc';
import { formatBytes, MetricChart } from './charts';
import { MarkerList } from './markers';
import { Processes } from './processes';
import { type History, perPartition, perProcess, recent, recentQueueDepth, rowsOf } from './series';

// The api keeps an hour of one-second points per process in Redis (every replica reads the
// same history); longer windows are drawn in coarser steps, at most 300 per chart.
const WINDOWS = [
  { id: '60', label: '1 min' },
  { id: '300', label: '5 min' },
  { id: '900', label: '15 min' },
  { id: '3600', label: '1 h' },
] as const;
type WindowId = (typeof WINDOWS)[number]['id'];
type Zoom = { from: number; to: number };

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

function RoutePicker({
  history,
  route,
  onChange,
}: {
  history: History;
  route: string | null;
  onChange: (route: string | null) => void;
}) {
  const player = history.routes.filter((r) => !r.internal);
  const internal = history.routes.filter((r) => r.internal);
  // A route chosen earlier stays listed even when the window has no call of it.
  const known = route === null || history.routes.some((r) => r.endpoint === route);
  return (
    <Select
      aria-label="Route"
      className="w-full min-w-0 font-normal sm:w-72"
      value={route ?? ''}
      onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)}
    >
      <option value="">All player routes</option>
      {!known && <option value={route}>{route}</option>}
      <optgroup label="Player routes">
        {player.map((r) => (
          <option key={r.endpoint} value={r.endpoint}>
            {r.endpoint}
          </option>
        ))}
      </optgroup>
      <optgroup label="Internal (dashboard, profiling, health)">
        {internal.map((r) => (
          <option key={r.endpoint} value={r.endpoint}>
            {r.endpoint}
          </option>
        ))}
      </optgroup>
    </Select>
  );
}

function Charts({
  history,
  route,
  setRoute,
  onZoom,
}: {
  history: History;
  route: string | null;
  setRoute: (route: string | null) => void;
  onZoom: (from: number, to: number) => void;
}) {
  const common = {
    domain: [history.from, history.to] as [number, number],
    markers: history.markers,
    onZoom,
  };
  const { traffic, latency } = history;
  return (
    <div className="grid gap-4 xl:grid-cols-2">
      <MetricChart
        title="Requests"
        unit="req/s"
        data={rowsOf(history, { player: traffic.player, internal: traffic.internal })}
        lines={[
          { key: 'player', label: 'player routes' },
          { key: 'internal', label: 'internal (dashboard, profiling, health)' },
        ]}
        {...common}
      />
      <MetricChart
        title={`Latency, ${route ?? 'all player routes'}`}
        unit="ms"
        data={rowsOf(history, { p50: latency.p50, p95: latency.p95, p99: latency.p99 })}
        lines={[
          { key: 'p50', label: 'p50' },
          { key: 'p95', label: 'p95' },
          { key: 'p99', label: 'p99' },
        ]}
        actions={<RoutePicker history={history} route={route} onChange={setRoute} />}
        {...common}
      />
      <MetricChart
        title="Events"
        unit="events/s"
        data={rowsOf(history, { received: traffic.received, applied: traffic.applied })}
        lines={[
          { key: 'received', label: 'received' },
          { key: 'applied', label: 'applied' },
        ]}
        {...common}
      />
      <MetricChart
        title="Queue depth per partition"
        unit="jobs"
        {...perPartition(history, (p) => p.depth)}
        {...common}
      />
      <MetricChart
        title="Lag per partition"
        unit="ms, worst"
        {...perPartition(history, (p) => p.lagMs)}
        {...common}
      />
      <MetricChart title="CPU" unit="%" {...perProcess(history, (p) => p.cpuPercent)} {...common} />
      <MetricChart
        title="Heap used"
        format={formatBytes}
        {...perProcess(history, (p) => p.heapUsedBytes)}
        {...common}
      />
      <MetricChart
        title="RSS"
        format={formatBytes}
        {...perProcess(history, (p) => p.rssBytes)}
        {...common}
      />
      <MetricChart
        title="Event-loop delay p99"
        unit="ms"
        {...perProcess(history, (p) => p.eventLoopP99Ms)}
        {...common}
      />
    </div>
  );
}

export default function LivePage() {
  const trpc = useTRPC();
  const [windowId, setWindowId] = useState<WindowId>('60');
  const [zoom, setZoom] = useState<Zoom | null>(null);
  const [route, setRoute] = useState<string | null>(null);
  const input = zoom
    ? {
        windowSeconds: Math.min(3600, Math.max(10, Math.ceil((zoom.to - zoom.from) / 1000))),
        endAt: zoom.to,
        route,
      }
    : { windowSeconds: Number(windowId), route };
  const live = useQuery(
    trpc.live.history.queryOptions(input, {
      // A zoomed view is a fixed span; a moving one refreshes once per step.
      refetchInterval: (query) => (zoom ? false : (query.state.data?.stepSeconds ?? 1) * 1000),
      // Keep drawing the last answer while the next one (or another window) loads.
      placeholderData: keepPreviousData,
    }),
  );
  const history = live.data;
  const reporting = history?.processes.length ?? 0;
  return (
    <>
      <PageHeader
        title="Live"
        description={
          history
            ? `${plural(reporting, 'process', 'processes')} in this window · ${plural(history.stepSeconds, 'second')} per point`
            : 'one point per second per process'
        }
        actions={
          <div className="w-72 max-w-full">
            <Tabs
              label="Time window"
              items={[...WINDOWS]}
              value={windowId}
              onChange={(id) => {
                setZoom(null);
                setWindowId(id);
              }}
            />
          </div>
        }
      />
      {live.isPending && <Loading />}
      {live.isError && <ErrorText error={live.error} />}
      {history && reporting === 0 && <Empty>No process has reported in this window.</Empty>}
      {history && reporting > 0 && (
        <div className="space-y-6">
          <div className="flex flex-wrap items-center gap-3 text-sm text-slate-500">
            {zoom ? (
              <>
                <span data-testid="zoom">
                  Zoomed to {formatClock(zoom.from)} – {formatClock(zoom.to)}
                </span>
                <Button variant="secondary" size="sm" onClick={() => setZoom(null)}>
                  Back to live
                </Button>
              </>
            ) : (
              <span>Drag across a chart to zoom in. Gaps are times no process reported.</span>
            )}
          </div>
          <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <Stat label="Player requests/s" value={fmt(recent(history.traffic.player), 0)} />
            <Stat label="Events/s" value={fmt(recent(history.traffic.received), 0)} />
            <Stat label="p95 latency (ms)" value={fmt(recent(history.latency.p95))} />
            <Stat label="Queue depth" value={fmt(recentQueueDepth(history), 0)} />
          </div>
          <Charts
            history={history}
            route={route}
            setRoute={setRoute}
            onZoom={(from, to) => setZoom({ from, to })}
          />
          <MarkerList markers={history.markers} />
          <Processes history={history} />
        </div>
      )}
    </>
  );
}
