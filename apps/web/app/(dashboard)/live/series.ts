import type { RouterOutputs } from '@/lib/trpc';

export type ProcessSeries = RouterOutputs['live']['series'][number];
type Row = Record<string, number | null>;

// Each process publishes on its own one-second tick; rows are merged per whole second so
// lines of different processes share an x value.
const second = (t: number) => Math.floor(t / 1000) * 1000;

function merge(
  series: ProcessSeries[],
  emit: (row: Row, process: ProcessSeries, point: ProcessSeries['points'][number]) => void,
): Row[] {
  const rows = new Map<number, Row>();
  for (const process of series) {
    for (const point of process.points) {
      const t = second(point.t);
      let row = rows.get(t);
      if (!row) {
        row = { t };
        rows.set(t, row);
      }
      emit(row, process, point);
    }
  }
  return [...rows.values()].sort((a, b) => (a.t ?? 0) - (b.t ?? 0));
}

const add = (row: Row, key: string, value: number | null) => {
  if (value === null) return;
  row[key] = (row[key] ?? 0) + value;
};
const max = (row: Row, key: string, value: number | null) => {
  if (value === null) return;
  row[key] = Math.max(row[key] ?? Number.NEGATIVE_INFINITY, value);
};

/** Requests/s per endpoint summed over processes; the busiest `limit` endpoints. */
export function endpointRates(series: ProcessSeries[], limit = 6) {
  const totals = new Map<string, number>();
  const rows = new Map<number, Row>();
  for (const process of series) {
    for (const endpoint of process.endpoints) {
      for (const point of endpoint.points) {
        totals.set(endpoint.endpoint, (totals.get(endpoint.endpoint) ?? 0) + point.rps);
        const t = second(point.t);
        const row = rows.get(t) ?? { t };
        rows.set(t, row);
        add(row, endpoint.endpoint, point.rps);
      }
    }
  }
  const top = [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name]) => name);
  return {
    lines: top.map((name) => ({ key: name, label: name })),
    data: [...rows.values()].sort((a, b) => (a.t ?? 0) - (b.t ?? 0)),
  };
}

export function totals(series: ProcessSeries[]) {
  return merge(series, (row, _process, p) => {
    add(row, 'requests', p.requestsPerSec);
    add(row, 'received', p.eventsReceivedPerSec);
    add(row, 'applied', p.eventsAppliedPerSec);
    // Percentiles cannot be summed or averaged across processes; the slowest one is what a
    // player behind the load balancer may hit, so the chart shows the worst per second.
    max(row, 'p50', p.p50Ms);
    max(row, 'p95', p.p95Ms);
    max(row, 'p99', p.p99Ms);
    max(row, 'queueDepth', p.queueDepth);
    max(row, 'lagMs', p.lagMs);
  });
}

/** One line per process of `pick(point)`, keyed by process id. */
export function perProcess(
  series: ProcessSeries[],
  pick: (point: ProcessSeries['points'][number]) => number | null,
) {
  return {
    lines: series.map((p) => ({ key: p.id, label: `${p.role} ${p.pid}` })),
    data: merge(series, (row, process, point) => {
      row[process.id] = pick(point);
    }),
  };
}

export function latest(process: ProcessSeries) {
  return process.points[process.points.length - 1];
}
