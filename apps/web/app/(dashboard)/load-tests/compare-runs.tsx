'use client';
import { Card } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { Table, Td, Th } from '@/components/ui/table';
import { MetricChart } from '../live/charts';
import { fmt, type LoadTestReport, type RunRow, reportOf } from './report-types';

interface Metric {
  label: string;
  /** Whether a higher value is better, to colour the delta. */
  higherIsBetter: boolean;
  value: (r: LoadTestReport) => number | null;
}

const busiest = (
  r: LoadTestReport,
  pick: (p: LoadTestReport['server']['processes'][number]) => number,
) => (r.server.processes.length === 0 ? null : Math.max(...r.server.processes.map(pick)));
const worst = (r: LoadTestReport, pick: (e: LoadTestReport['endpoints'][number]) => number) =>
  r.endpoints.length === 0 ? null : Math.max(...r.endpoints.map(pick));

const METRICS: Metric[] = [
  {
    label: 'Throughput (completed/s)',
    higherIsBetter: true,
    value: (r) => (r.measuredS > 0 ? r.totals.completed / r.measuredS : null),
  },
  { label: 'Errors', higherIsBetter: false, value: (r) => r.totals.errors },
  { label: 'Dropped', higherIsBetter: false, value: (r) => r.totals.dropped },
  {
    label: 'p50 ms (slowest endpoint)',
    higherIsBetter: false,
    value: (r) => worst(r, (e) => e.p50Ms),
  },
  {
    label: 'p95 ms (slowest endpoint)',
    higherIsBetter: false,
    value: (r) => worst(r, (e) => e.p95Ms),
  },
  {
    label: 'p99 ms (slowest endpoint)',
    higherIsBetter: false,
    value: (r) => worst(r, (e) => e.p99Ms),
  },
  {
    label: 'CPU % avg (busiest process)',
    higherIsBetter: false,
    value: (r) => busiest(r, (p) => p.cpuPercentAvg),
  },
  {
    label: 'Heap MB max',
    higherIsBetter: false,
    value: (r) => busiest(r, (p) => p.heapUsedMb.max),
  },
  { label: 'RSS MB max', higherIsBetter: false, value: (r) => busiest(r, (p) => p.rssMbMax) },
];

function Delta({
  a,
  b,
  higherIsBetter,
}: {
  a: number | null;
  b: number | null;
  higherIsBetter: boolean;
}) {
  if (a === null || b === null) return <>—</>;
  const diff = b - a;
  const percent = a === 0 ? null : (diff / a) * 100;
  const better = diff === 0 ? null : diff > 0 === higherIsBetter;
  return (
    <span
      className={cn(better === true && 'text-emerald-700', better === false && 'text-rose-700')}
    >
      {diff > 0 ? '+' : ''}
      {fmt(diff, 2)}
      {percent !== null && ` (${diff > 0 ? '+' : ''}${fmt(percent, 0)} %)`}
    </span>
  );
}

/** Both runs' p95 per second of their measured phase, on one time axis from each start. */
function overlay(a: LoadTestReport | null, b: LoadTestReport | null) {
  const rows = new Map<number, Record<string, number | null>>();
  const row = (s: number) => rows.get(s) ?? rows.set(s, { t: s, a: null, b: null }).get(s)!;
  for (const p of a?.timeline ?? []) row(p.s).a = p.p95Ms;
  for (const p of b?.timeline ?? []) row(p.s).b = p.p95Ms;
  return [...rows.values()].sort((x, y) => x.t! - y.t!);
}

/** Two runs' key numbers side by side; the delta is B − A, green when B is better. */
export function CompareRuns({ a, b }: { a: RunRow; b: RunRow }) {
  const ra = reportOf(a);
  const rb = reportOf(b);
  return (
    <Card title={`Compare ${a.id} (A) with ${b.id} (B)`}>
      <div className="mb-4">
        <MetricChart
          title="Latency over time, both runs"
          unit="ms, p95"
          data={overlay(ra, rb)}
          lines={[
            { key: 'a', label: `A · ${a.id}` },
            { key: 'b', label: `B · ${b.id}` },
          ]}
          formatT={(s) => `${s} s`}
        />
      </div>
      <Table>
        <thead>
          <tr>
            <Th>Metric</Th>
            <Th className="text-right">A · {a.scenario}</Th>
            <Th className="text-right">B · {b.scenario}</Th>
            <Th className="text-right">Delta (B − A)</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {METRICS.map((m) => {
            const va = ra ? m.value(ra) : null;
            const vb = rb ? m.value(rb) : null;
            return (
              <tr key={m.label}>
                <Td>{m.label}</Td>
                <Td className="text-right tabular-nums">{fmt(va, 2)}</Td>
                <Td className="text-right tabular-nums">{fmt(vb, 2)}</Td>
                <Td className="text-right tabular-nums">
                  <Delta a={va} b={vb} higherIsBetter={m.higherIsBetter} />
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
    </Card>
  );
}
