import type { LoadTestReport, ProcessReport, ProfileReport } from './contract.ts';
import {
  cpuSection,
  latencyByMinuteSection,
  memorySection,
  streamsSection,
  table,
  waveSection,
} from './markdown-sections.ts';

function resources(p: ProcessReport): string {
  return [
    `- **CPU:** ${p.cpuPercentAvg} % average, ${p.cpuPercentMax} % max (100 % = one core)`,
    `- **CPU per ${p.unit}:** ${p.cpuMsPerUnit ?? '—'} ms`,
    `- **Heap used:** ${p.heapUsedMb.start} → ${p.heapUsedMb.end} MB (max ${p.heapUsedMb.max} MB)`,
    `- **RSS:** max ${p.rssMbMax} MB`,
    `- **Event-loop delay:** p99 up to ${p.eventLoopP99MsMax} ms`,
    ...(p.queueDepthMax !== null ? [`- **Queue depth:** max ${p.queueDepthMax}`] : []),
    ...(p.lagMsMax !== null ? [`- **Event lag (ack → applied):** p99 up to ${p.lagMsMax} ms`] : []),
  ].join('\n');
}

function profile(p: ProfileReport | undefined): string {
  if (!p) return '_No CPU profile (pass --admin-key to take one mid-run)._';
  if (p.error) return `_CPU profile failed: ${p.error}_`;
  return [
    `${p.seconds} s CPU profile of \`${p.processId}\`, top functions by self time:`,
    '',
    table(
      ['#', 'function', 'self %', 'total %', 'location'],
      p.top.map((r, i) => [
        i + 1,
        `\`${r.functionName}\``,
        r.selfPercent,
        r.totalPercent,
        r.location,
      ]),
    ),
  ].join('\n');
}

function section(report: LoadTestReport, role: string, heading: string): string {
  const procs = report.server.processes.filter((p) => p.role === role);
  if (procs.length === 0) return '';
  return [
    `## ${heading}`,
    '',
    '### Resource Usage',
    ...procs.map((p) => `\n\`${p.id}\`\n\n${resources(p)}`),
    '',
    '### CPU Profile Analysis',
    '',
    profile(report.profiles.find((p) => p.role === role)),
    '',
  ].join('\n');
}

/** The report in the shape of the reference (M3 load test profiling analysis), generated. */
export function renderMarkdown(report: LoadTestReport): string {
  const o = report.options;
  const load = [
    report.scenario === 'streams' ? `${o.streams} streams` : '',
    o.rps > 0 && report.scenario !== 'events' ? `${o.rps} RPS` : '',
    o.eps > 0 && ['events', 'mixed', 'soak', 'streams'].includes(report.scenario)
      ? `${o.eps} EPS`
      : '',
  ].filter(Boolean);
  const t = report.totals;
  const ev = report.server.events;
  const pgs = report.server.postgres;
  return [
    `# Load Test Report — ${report.scenario}`,
    '',
    `**Scenario:** ${report.title}`,
    `**Load:** ${load.join(' + ')} for ${report.measuredS} s measured (after ${o.warmupS} s warm-up ramp and a setup of ${o.users} users)`,
    `**Run:** \`${report.runId}\` · ${report.startedAt} → ${report.finishedAt} · target ${o.target}`,
    `**Iterations:** ${t.scheduled} scheduled, ${t.completed} calls completed, ${t.errors} errors, ${t.dropped} dropped, ${t.late} late`,
    '',
    `## Verdict: ${report.verdict.passed ? '✅ PASS' : '❌ FAIL'}`,
    '',
    table(
      ['check', 'target', 'actual', ''],
      report.verdict.items.map((i) => [i.name, i.target, i.actual, i.passed ? '✅' : '❌']),
    ),
    '',
    '---',
    '',
    waveSection(report),
    streamsSection(report),
    '## Request Metrics',
    '',
    "Latency from each call's *scheduled* send time (open model, no coordinated omission), ms.",
    '',
    table(
      ['endpoint', 'count', 'ok', 'errors', 'per s', 'p50', 'p90', 'p95', 'p99', 'max'],
      report.endpoints.map((e) => [
        e.endpoint,
        e.count,
        e.ok,
        e.errors,
        e.throughput,
        e.p50Ms,
        e.p90Ms,
        e.p95Ms,
        e.p99Ms,
        e.maxMs,
      ]),
    ),
    '',
    ...(Object.keys(report.errorsByKind).length
      ? [
          '**Errors by kind:**',
          '',
          ...Object.entries(report.errorsByKind).map(([k, n]) => `- ${k}: ${n}`),
          '',
        ]
      : []),
    `- **Requests the api counted:** ${report.server.requestsServed ?? '— (pass --api-metrics)'}`,
    `- **Events:** ${ev.acked} acknowledged, ${ev.processed ?? '—'} settled by the pipeline, ${ev.lost ?? '—'} lost`,
    `- **PostgreSQL:** up to ${pgs.connectionsMax ?? '—'} connections; goal_progress ${pgs.goalProgressInserts ?? '—'} rows inserted, ${pgs.goalProgressUpdates ?? '—'} updated`,
    '',
    latencyByMinuteSection(report.latencyByMinute),
    cpuSection(report.server.cpu ?? null),
    memorySection(report.memory ?? null),
    section(report, 'api', 'Challenge Service (api) Performance'),
    section(report, 'ingest', 'Event Ingest (ingest) Performance'),
    section(report, 'worker', 'Event Handler (worker) Performance'),
    '## Performance Assessment',
    '',
    '### Key Findings',
    '',
    ...report.findings.map((f) => `- ${f}`),
    '',
    '### Capacity Estimate',
    '',
    `- **Requests/s per api core:** ${report.capacity.requestsPerCore ?? '—'}`,
    `- **Events/s per worker core:** ${report.capacity.eventsPerCore ?? '—'}`,
    `- **Replicas for ${report.capacity.target} requests/s:** ${report.capacity.replicasNeeded ?? '—'} (one core each, ≤ 70 % CPU)`,
    '',
  ].join('\n');
}
