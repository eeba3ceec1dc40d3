import type { CpuTable, LatencyMinute, LoadTestReport, MemoryReport } from './contract.ts';
import { GENERATOR_TARGET_MS } from './verdict.ts';

export const table = (head: string[], rows: (string | number | null)[][]): string =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map((c) => (c === null ? '—' : String(c))).join(' | ')} |`),
  ].join('\n');

/** Where the box's CPU went in the steady phase, one row per process group. */
export function cpuSection(cpu: CpuTable | null): string {
  if (!cpu) return '';
  const columns = [
    { head: 'CPU-ms / request', show: cpu.requests > 0, value: 'msPerRequest' as const },
    { head: 'CPU-ms / event', show: cpu.events > 0, value: 'msPerEvent' as const },
    {
      head: 'CPU-ms / call',
      show: cpu.requests > 0 && cpu.events > 0,
      value: 'msPerCall' as const,
    },
  ].filter((c) => c.show);
  const generator = cpu.rows.find((r) => r.role === 'generator');
  return [
    '## Where the CPU Went',
    '',
    `Steady phase only: ${cpu.windowS} s on ${cpu.cores} cores (100 % = the whole box), ` +
      `${cpu.requests} requests and ${cpu.events} events. CPU time from /proc of each process; ` +
      'each "per" column divides the row’s whole CPU by that count.',
    '',
    table(
      ['process', 'pids', 'CPU-ms', '% of box', ...columns.map((c) => c.head), 'note'],
      cpu.rows.map((r) => [
        r.process,
        r.pids.length > 4 ? `${r.pids.length} pids` : r.pids.join(', ') || null,
        r.cpuMs,
        r.percentOfBox,
        ...columns.map((c) => r[c.value]),
        r.note ?? '',
      ]),
    ),
    '',
    `- **Box busy:** ${cpu.boxBusyPercent ?? '—'} % of ${cpu.cores} cores`,
    `- **Load generator:** ${generator?.msPerCall ?? '—'} CPU-ms per call (target ≤ ${GENERATOR_TARGET_MS} on a shared machine)`,
    '',
  ].join('\n');
}

export function waveSection(report: LoadTestReport): string {
  const wave = report.initializeWave;
  if (!wave) return '';
  const e = wave.endpoint;
  return [
    '## Initialize Wave',
    '',
    `Every one of ${wave.players} players initialized once at ${wave.rate}/s (${wave.seconds} s), ` +
      `before the steady phase; latency from the scheduled time, ms.`,
    '',
    table(
      ['count', 'errors', 'dropped', 'p50', 'p95', 'p99', 'max'],
      [
        [
          e?.count ?? 0,
          e?.errors ?? 0,
          wave.dropped,
          e?.p50Ms ?? null,
          e?.p95Ms ?? null,
          e?.p99Ms ?? null,
          e?.maxMs ?? null,
        ],
      ],
    ),
    '',
  ].join('\n');
}

/** Heap and RSS over time per process, and the slope the verdict judges. */
/** Latency minute by minute: whether the run got slower as it went (rendered from 2 minutes on). */
export function latencyByMinuteSection(minutes: LatencyMinute[] | undefined): string {
  if (!minutes || minutes.length < 2) return '';
  return [
    '## Latency by Minute',
    '',
    'The measured calls of each minute of the steady phase on their own (the table above pools ' +
      'them); latency from the scheduled send time, ms.',
    '',
    table(
      [
        'minute',
        'requests',
        'request p95',
        'request p99',
        'events',
        'event ack p95',
        'event ack p99',
      ],
      minutes.map((m) => [
        m.minute + 1,
        m.requests.count,
        m.requests.count ? m.requests.p95Ms : null,
        m.requests.count ? m.requests.p99Ms : null,
        m.events.count,
        m.events.count ? m.events.p95Ms : null,
        m.events.count ? m.events.p99Ms : null,
      ]),
    ),
    '',
  ].join('\n');
}

export function memorySection(memory: MemoryReport | null): string {
  if (!memory || memory.processes.length === 0) return '';
  const procs = memory.processes;
  const seconds = [...new Set(procs.flatMap((p) => p.points.map((q) => q.s)))].sort(
    (a, b) => a - b,
  );
  const at = (p: MemoryReport['processes'][0], s: number) => p.points.find((q) => q.s === s);
  return [
    '## Memory Over Time',
    '',
    `Least-squares slope of every per-second snapshot after the first ${Math.round(memory.warmupS)} s ` +
      `of the steady phase; flat means |slope| ≤ ${memory.maxSlopeMbPerMin} MB/min.`,
    '',
    table(
      ['process', 'points fitted', 'heap MB/min', 'RSS MB/min'],
      procs.map((p) => [p.id, p.fitPoints, p.heapSlopeMbPerMin, p.rssSlopeMbPerMin]),
    ),
    '',
    table(
      ['s', ...procs.flatMap((p) => [`${p.role} heap MB`, `${p.role} RSS MB`])],
      seconds.map((s) => [
        s,
        ...procs.flatMap((p) => [at(p, s)?.heapMb ?? null, at(p, s)?.rssMb ?? null]),
      ]),
    ),
    '',
  ].join('\n');
}

/** streams: what the held streams cost and how fast the changes reached them. */
export function streamsSection(report: LoadTestReport): string {
  const s = report.streams;
  if (!s) return '';
  const rss = (mb: number | null) => (mb === null ? '—' : `${mb} MB`);
  const latency = (name: string, l: NonNullable<LoadTestReport['streams']>['afterCommit']) => [
    name,
    l.count,
    l.p50Ms,
    l.p95Ms,
    l.p99Ms,
    l.maxMs,
  ];
  const kinds = Object.entries(s.streamErrorKinds ?? {}).map(([k, n]) => `${k} ×${n}`);
  return [
    '## Streams',
    '',
    table(
      ['figure', 'value'],
      [
        ['streams held', `${s.opened} of ${report.options.streams} (opened in ${s.openSeconds} s)`],
        ['stream errors', `${s.streamErrors}${kinds.length ? ` (${kinds.join(', ')})` : ''}`],
        [
          'api RSS per idle connection',
          `${s.apiKbPerConnection ?? '—'} KB (${rss(s.apiRssMb.before)} → ${rss(s.apiRssMb.idle)})`,
        ],
        ['api CPU-ms per pushed change', s.apiCpuMsPerChange],
        ['changes received', s.changes],
        [
          'lost (players whose acked value never came)',
          `${s.lost} (after a ${s.drainSeconds} s drain)`,
        ],
        [
          'packages/client sample (half reconnected mid-run)',
          s.clientSample
            ? `${s.clientSample.mismatched} of ${s.clientSample.players} differ from GET /v1/challenges`
            : '—',
        ],
        ['generator CPU-ms per change (sends included)', s.generatorCpuMsPerChange],
        ['generator CPU-ms per idle stream-second', s.generatorCpuMsPerIdleStreamS],
        ['generator event-loop delay p99', `${s.generatorLoopDelayP99Ms ?? '—'} ms`],
      ],
    ),
    '',
    'Change latency, ms: *after commit* from the event id (Redis time when the worker published) ' +
      'to the change read; *end to end* from the event sent to its change read.',
    '',
    table(
      ['', 'count', 'p50', 'p95', 'p99', 'max'],
      [latency('after commit', s.afterCommit), latency('end to end', s.endToEnd)],
    ),
    '',
  ].join('\n');
}
