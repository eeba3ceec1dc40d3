import type { LiveProcessSeries } from '@challenges/runtime';
import pg from 'pg';
import type { ProcessReport, ProfileReport, TimelinePoint } from './contract.ts';

const MB = 1024 * 1024;
const r1 = (n: number) => Math.round(n * 10) / 10;

/** Sum of every sample of a Prometheus metric whose labels contain `labelFilter`. */
export function promSum(text: string, name: string, labelFilter = ''): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? ([0-9.e+-]+|NaN)$/i.exec(line);
    if (m?.[1] === name && (m[2] ?? '').includes(labelFilter)) sum += Number(m[3]);
  }
  return sum;
}

export async function fetchText(url: string | null): Promise<string | null> {
  if (!url) return null;
  try {
    return await (await fetch(url, { signal: AbortSignal.timeout(5_000) })).text();
  } catch {
    return null;
  }
}

/**
 * The /metrics text of one or more processes (URLs comma-separated: an api and its ingest-only
 * process), joined, so that promSum adds their counters; null if any of them did not answer.
 */
export async function fetchMetrics(urls: string | null): Promise<string | null> {
  if (!urls) return null;
  const texts = await Promise.all(urls.split(',').map((url) => fetchText(url.trim())));
  return texts.some((t) => t === null) ? null : texts.join('\n');
}

/** Player REST requests the api counted (its own histogram's _count): the independent count. */
export const requestsServed = (text: string | null): number | null =>
  text === null
    ? null
    : promSum(text, 'challenge_http_request_duration_seconds_count', '/v1/challenges');

/** Events the pipeline has finished with: skipped at ingest, or applied/deduplicated/skipped. */
export function eventsSettled(api: string | null, worker: string | null): number | null {
  if (api === null || worker === null) return null;
  return (
    promSum(api, 'challenge_events_skipped_total') +
    promSum(worker, 'challenge_events_applied_total') +
    promSum(worker, 'challenge_events_deduplicated_total') +
    promSum(worker, 'challenge_events_skipped_total')
  );
}

/** Resource use of each live process over [from, to] (epoch ms), from its per-second snapshots. */
export function processReports(
  series: LiveProcessSeries[],
  from: number,
  to: number,
  units: { request: number; event: number },
): ProcessReport[] {
  const out: ProcessReport[] = [];
  for (const s of series) {
    const points = s.points.filter((p) => p.t > from && p.t <= to + 1000);
    if (points.length === 0) continue;
    const cpu = points.map((p) => p.cpuPercent);
    const avg = cpu.reduce((a, b) => a + b, 0) / cpu.length;
    // The api's work is requests, or ingested events when the scenario sends no request; an
    // ingest-only process (ROLE=ingest) and the worker work on events.
    const unit = s.role !== 'api' || units.request === 0 ? 'event' : 'request';
    const n = units[unit];
    const depths = points.map((p) => p.queueDepth).filter((v): v is number => v !== null);
    const lags = points.map((p) => p.lagMs).filter((v): v is number => v !== null);
    out.push({
      id: s.id,
      role: s.role,
      cpuPercentAvg: r1(avg),
      cpuPercentMax: r1(Math.max(...cpu)),
      // cpu % × seconds × 10 = CPU-ms over the window.
      cpuMsPerUnit:
        n > 0 ? Math.round(((avg * ((to - from) / 1000) * 10) / n) * 1000) / 1000 : null,
      unit,
      heapUsedMb: {
        start: r1(points[0]!.heapUsedBytes / MB),
        end: r1(points.at(-1)!.heapUsedBytes / MB),
        max: r1(Math.max(...points.map((p) => p.heapUsedBytes)) / MB),
      },
      rssMbMax: r1(Math.max(...points.map((p) => p.rssBytes)) / MB),
      eventLoopP99MsMax: r1(Math.max(...points.map((p) => p.eventLoopP99Ms))),
      queueDepthMax: depths.length ? Math.max(...depths) : null,
      lagMsMax: lags.length ? r1(Math.max(...lags)) : null,
    });
  }
  return out;
}

/** Server columns of the per-second timeline, by second since `from`. */
export function serverTimeline(
  series: LiveProcessSeries[],
  from: number,
  base: TimelinePoint[],
): TimelinePoint[] {
  type Point = LiveProcessSeries['points'][0];
  // Each process's first point of each second, indexed once (a soak has thousands), summed
  // over the role's processes.
  const bySecond = (roles: string[]) => {
    const perProcess = series
      .filter((x) => roles.includes(x.role))
      .map((proc) => {
        const index = new Map<number, Point>();
        for (const p of proc.points) {
          const s = Math.floor((p.t - from) / 1000);
          if (!index.has(s)) index.set(s, p);
        }
        return index;
      });
    return (s: number, pick: (p: Point) => number) => {
      let total: number | null = null;
      for (const index of perProcess) {
        const p = index.get(s);
        if (p) total = (total ?? 0) + pick(p);
      }
      return total === null ? null : r1(total);
    };
  };
  // The api columns are the service's: its ingest-only processes included.
  const api = bySecond(['api', 'ingest']);
  const worker = bySecond(['worker']);
  return base.map((point) => ({
    ...point,
    apiCpuPercent: api(point.s, (p) => p.cpuPercent),
    workerCpuPercent: worker(point.s, (p) => p.cpuPercent),
    apiHeapMb: api(point.s, (p) => p.heapUsedBytes / MB),
    workerHeapMb: worker(point.s, (p) => p.heapUsedBytes / MB),
    apiRssMb: api(point.s, (p) => p.rssBytes / MB),
    workerRssMb: worker(point.s, (p) => p.rssBytes / MB),
  }));
}

export interface PgSample {
  connections: number;
  inserts: number;
  updates: number;
}

/** Connections to the service's database and goal_progress writes (all partitions). */
export async function samplePostgres(client: pg.Client): Promise<PgSample> {
  const { rows } = await client.query<{ connections: number; ins: string; upd: string }>(
    `SELECT (SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database()) AS connections,
            coalesce(sum(n_tup_ins), 0) AS ins, coalesce(sum(n_tup_upd), 0) AS upd
       FROM pg_stat_user_tables WHERE relname LIKE 'goal_progress%'`,
  );
  const row = rows[0]!;
  return { connections: row.connections, inserts: Number(row.ins), updates: Number(row.upd) };
}

/** A CPU profile through the admin REST API; the failure is reported, not thrown. */
export async function takeProfile(
  target: string,
  basePath: string,
  adminKey: string,
  processId: string,
  role: string,
  seconds: number,
): Promise<ProfileReport> {
  const report: ProfileReport = { processId, role, seconds, error: null, top: [] };
  try {
    const res = await fetch(`${target}${basePath}/admin/v1/profile`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ processId, kind: 'cpu', seconds }),
      signal: AbortSignal.timeout((seconds + 30) * 1000),
    });
    const body = (await res.json()) as {
      summary?: { bySelf: ProfileReport['top'] };
      message?: string;
    };
    if (!res.ok || !body.summary) throw new Error(body.message ?? `HTTP ${res.status}`);
    report.top = body.summary.bySelf.slice(0, 10).map((row) => ({
      functionName: row.functionName,
      location: row.location,
      selfPercent: row.selfPercent,
      totalPercent: row.totalPercent,
    }));
  } catch (error) {
    report.error = error instanceof Error ? error.message : String(error);
  }
  return report;
}

export { pg };
