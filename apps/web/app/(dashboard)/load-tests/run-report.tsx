'use client';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Empty } from '@/components/ui/feedback';
import { Table, Td, Th } from '@/components/ui/table';
import { plural } from '@/lib/plural';
import { MetricChart } from '../live/charts';
import { CpuTableCard, MemorySlopeCard } from './cpu-and-memory';
import { LatencyByMinuteCard } from './latency-by-minute';
import { fmt, type LoadTestReport, type RunRow, reportOf } from './report-types';

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/markdown' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

function Endpoints({ report }: { report: LoadTestReport }) {
  return (
    <Card title="Latency per endpoint">
      <Table>
        <thead>
          <tr>
            <Th>Endpoint</Th>
            {['Count', 'Errors', 'Per second', 'p50', 'p90', 'p95', 'p99', 'max'].map((h) => (
              <Th key={h} className="text-right">
                {h}
              </Th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {report.endpoints.map((e) => (
            <tr key={e.endpoint}>
              <Td className="font-mono text-xs">{e.endpoint}</Td>
              <Td className="text-right tabular-nums">{e.count}</Td>
              <Td className="text-right tabular-nums">{e.errors}</Td>
              <Td className="text-right tabular-nums">{fmt(e.throughput)}</Td>
              {[e.p50Ms, e.p90Ms, e.p95Ms, e.p99Ms, e.maxMs].map((v, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
                <Td key={i} className="text-right tabular-nums">
                  {fmt(v)} ms
                </Td>
              ))}
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}

function Resources({ report }: { report: LoadTestReport }) {
  return (
    <Card title="Server resources">
      <Table>
        <thead>
          <tr>
            <Th>Process</Th>
            <Th className="text-right">CPU % avg / max</Th>
            <Th className="text-right">CPU ms per unit</Th>
            <Th className="text-right">Heap MB start → end (max)</Th>
            <Th className="text-right">RSS MB max</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {report.server.processes.map((p) => (
            <tr key={p.id}>
              <Td className="font-mono text-xs">{p.id}</Td>
              <Td className="text-right tabular-nums">
                {fmt(p.cpuPercentAvg)} / {fmt(p.cpuPercentMax)}
              </Td>
              <Td className="text-right tabular-nums">
                {fmt(p.cpuMsPerUnit, 3)} per {p.unit}
              </Td>
              <Td className="text-right tabular-nums">
                {fmt(p.heapUsedMb.start, 0)} → {fmt(p.heapUsedMb.end, 0)} (
                {fmt(p.heapUsedMb.max, 0)})
              </Td>
              <Td className="text-right tabular-nums">{fmt(p.rssMbMax, 0)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}

function Profiles({ report }: { report: LoadTestReport }) {
  if (report.profiles.length === 0) return null;
  return (
    <>
      {report.profiles.map((profile) => (
        <Card
          key={profile.processId}
          title={`CPU profile of ${profile.processId} (${profile.seconds} s, mid-run) — top functions`}
        >
          {profile.error ? (
            <Empty>Not taken: {profile.error}</Empty>
          ) : (
            <Table>
              <thead>
                <tr>
                  <Th>Function</Th>
                  <Th>Location</Th>
                  <Th className="text-right">Self %</Th>
                  <Th className="text-right">Total %</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {profile.top.slice(0, 15).map((row) => (
                  <tr key={`${row.functionName}-${row.location}`}>
                    <Td className="font-mono text-xs">{row.functionName}</Td>
                    <Td className="max-w-md truncate font-mono text-xs text-slate-500">
                      {row.location}
                    </Td>
                    <Td className="text-right tabular-nums">{fmt(row.selfPercent)}</Td>
                    <Td className="text-right tabular-nums">{fmt(row.totalPercent)}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
      ))}
    </>
  );
}

/** One finished run: verdict, endpoint latencies, charts over time, resources, profiles. */
export function RunReport({ run }: { run: RunRow }) {
  const report = reportOf(run);
  if (!report) {
    return (
      <Card title={`Run ${run.id}`}>
        <Empty>{run.error ? `No report: ${run.error}` : 'This run has no report.'}</Empty>
      </Card>
    );
  }
  // Clock times on the x axis, like the Live page's charts.
  const start = Date.parse(report.startedAt);
  const timeline = report.timeline.map((p) => ({ ...p, t: start + p.s * 1000 }));
  return (
    <section aria-label={`Report of ${run.id}`} className="space-y-4">
      <Card
        title={
          <span className="flex items-center gap-2">
            {report.title}
            <Badge tone={report.verdict.passed ? 'green' : 'red'}>
              {report.verdict.passed ? 'passed' : 'failed'}
            </Badge>
          </span>
        }
        actions={
          run.reportMd && (
            <Button
              variant="secondary"
              size="sm"
              onClick={() => download(`load-test-${run.id}.md`, run.reportMd ?? '')}
            >
              Download Markdown
            </Button>
          )
        }
      >
        <p className="mb-2 text-sm text-slate-600">
          {report.measuredS} s measured · {report.totals.completed} completed ·{' '}
          {plural(report.totals.errors, 'error')} · {report.totals.dropped} dropped
        </p>
        <ul className="space-y-1 text-sm" aria-label="Verdict">
          {report.verdict.items.map((item) => (
            <li key={item.name} className="flex flex-wrap items-center gap-2">
              <Badge tone={item.passed ? 'green' : 'red'}>{item.passed ? 'pass' : 'fail'}</Badge>
              <span className="font-medium text-slate-800">{item.name}</span>
              <span className="text-slate-500">
                target {item.target}, actual {item.actual}
              </span>
            </li>
          ))}
        </ul>
        {report.findings.length > 0 && (
          <ul className="mt-3 list-disc pl-5 text-sm text-slate-600">
            {report.findings.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        )}
      </Card>
      <Endpoints report={report} />
      <LatencyByMinuteCard report={report} />
      <div className="grid gap-4 xl:grid-cols-2">
        <MetricChart
          title="Throughput over time"
          unit="per s"
          data={timeline}
          lines={[
            { key: 'rps', label: 'requests/s' },
            { key: 'eps', label: 'events/s' },
          ]}
        />
        <MetricChart
          title="Latency over time"
          unit="ms"
          data={timeline}
          lines={[{ key: 'p95Ms', label: 'p95' }]}
        />
        <MetricChart
          title="CPU over time"
          unit="%"
          data={timeline}
          lines={[
            { key: 'apiCpuPercent', label: 'api' },
            { key: 'workerCpuPercent', label: 'worker' },
          ]}
        />
        <MetricChart
          title="Heap over time"
          unit="MB"
          data={timeline}
          lines={[
            { key: 'apiHeapMb', label: 'api heap' },
            { key: 'workerHeapMb', label: 'worker heap' },
            ...(report.memory
              ? [
                  { key: 'apiRssMb', label: 'api RSS' },
                  { key: 'workerRssMb', label: 'worker RSS' },
                ]
              : []),
          ]}
        />
      </div>
      <CpuTableCard report={report} />
      <MemorySlopeCard report={report} />
      <Resources report={report} />
      <Profiles report={report} />
    </section>
  );
}
