'use client';
import { Card } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { MetricChart } from '../live/charts';
import { fmt, type LatencyMinute, type LoadTestReport } from './report-types';

type Side = 'requests' | 'events';

const SERIES: { key: string; label: string; side: Side; pick: 'p95Ms' | 'p99Ms' }[] = [
  { key: 'requestP95', label: 'request p95', side: 'requests', pick: 'p95Ms' },
  { key: 'requestP99', label: 'request p99', side: 'requests', pick: 'p99Ms' },
  { key: 'eventP95', label: 'event ack p95', side: 'events', pick: 'p95Ms' },
  { key: 'eventP99', label: 'event ack p99', side: 'events', pick: 'p99Ms' },
];

/** A minute without calls of one kind has no percentile of that kind (the runner writes 0). */
const value = (m: LatencyMinute, side: Side, pick: 'p95Ms' | 'p99Ms') =>
  m[side].count > 0 ? m[side][pick] : null;

/**
 * The steady phase minute by minute, as the Markdown report's "Latency by Minute": whether the
 * run got slower as it went. Like the Markdown, only from two minutes on (one minute is the
 * pooled table again), and absent for reports written before the runner recorded it.
 */
export function LatencyByMinuteCard({ report }: { report: LoadTestReport }) {
  const minutes = Array.isArray(report.latencyByMinute) ? report.latencyByMinute : [];
  if (minutes.length < 2) return null;
  // The runner counts minutes from 0; people (and the Markdown) from 1.
  const rows = minutes.map((m) => ({
    t: m.minute + 1,
    ...Object.fromEntries(SERIES.map((s) => [s.key, value(m, s.side, s.pick)])),
  }));
  const lines = SERIES.filter((s) => minutes.some((m) => m[s.side].count > 0));
  if (lines.length === 0) return null;
  return (
    <Card title="Latency by minute">
      <div className="mb-4">
        <MetricChart
          title="p95 and p99 per minute"
          unit="ms"
          data={rows}
          lines={lines}
          formatT={(t) => `minute ${t}`}
        />
      </div>
      <Table>
        <thead>
          <tr>
            <Th className="text-right">Minute</Th>
            <Th className="text-right">Requests</Th>
            <Th className="text-right">Request p95</Th>
            <Th className="text-right">Request p99</Th>
            <Th className="text-right">Events</Th>
            <Th className="text-right">Event ack p95</Th>
            <Th className="text-right">Event ack p99</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {minutes.map((m) => (
            <tr key={m.minute} data-minute={m.minute + 1}>
              <Td className="text-right tabular-nums">{m.minute + 1}</Td>
              {(['requests', 'events'] as const).flatMap((side) => [
                <Td key={side} className="text-right tabular-nums">
                  {m[side].count}
                </Td>,
                ...(['p95Ms', 'p99Ms'] as const).map((pick) => {
                  const ms = value(m, side, pick);
                  return (
                    <Td key={`${side}-${pick}`} className="text-right tabular-nums">
                      {ms === null ? '—' : `${fmt(ms)} ms`}
                    </Td>
                  );
                }),
              ])}
            </tr>
          ))}
        </tbody>
      </Table>
      <p className="mt-2 text-xs text-slate-500">
        Latency from the scheduled send time; the last minute may be partial.
      </p>
    </Card>
  );
}
