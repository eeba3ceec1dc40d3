import type { LiveProcessSeries } from '@challenges/runtime';
import type { MemoryReport } from './contract.ts';

const MB = 1024 * 1024;
const r2 = (n: number) => Math.round(n * 100) / 100;

/** Slope of the least-squares line through the points (y per unit of x); null under 2 x values. */
export function leastSquaresSlope(points: readonly { x: number; y: number }[]): number | null {
  const n = points.length;
  if (n < 2) return null;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  return sxx === 0 ? null : sxy / sxx;
}

// A fit over fewer points than this says nothing about a trend.
const MIN_FIT_POINTS = 5;

/**
 * Heap and RSS of every api and worker process over the steady phase [from, to] (epoch ms), and
 * their slope in MB/min fitted after `warmupS` (the heap grows to its working size first).
 */
export function memoryTrend(
  series: LiveProcessSeries[],
  window: { from: number; to: number },
  settings: { warmupS: number; maxSlopeMbPerMin: number; stepS: number },
): MemoryReport {
  const fitFrom = window.from + settings.warmupS * 1000;
  const processes = series
    .filter((s) => s.role === 'api' || s.role === 'ingest' || s.role === 'worker')
    .map((s) => {
      const points = s.points.filter((p) => p.t > window.from && p.t <= window.to + 1000);
      const fit = points.filter((p) => p.t >= fitFrom);
      const slope = (pick: (p: (typeof points)[0]) => number) => {
        if (fit.length < MIN_FIT_POINTS) return null;
        const m = leastSquaresSlope(fit.map((p) => ({ x: p.t / 60_000, y: pick(p) / MB })));
        return m === null ? null : r2(m);
      };
      // The first point of each step (s = 0, 10, 20…) for the table; the fit uses every point.
      const sampled: MemoryReport['processes'][0]['points'] = [];
      for (const p of points) {
        const slot = Math.floor((p.t - window.from) / 1000 / settings.stepS) * settings.stepS;
        if (sampled.length === 0 || slot > sampled.at(-1)!.s) {
          sampled.push({ s: slot, heapMb: r2(p.heapUsedBytes / MB), rssMb: r2(p.rssBytes / MB) });
        }
      }
      return {
        id: s.id,
        role: s.role,
        fitPoints: fit.length,
        heapSlopeMbPerMin: slope((p) => p.heapUsedBytes),
        rssSlopeMbPerMin: slope((p) => p.rssBytes),
        points: sampled,
      };
    });
  return { warmupS: settings.warmupS, maxSlopeMbPerMin: settings.maxSlopeMbPerMin, processes };
}

/** A slope within the threshold either way, for every api and worker process that has one. */
export function slopeVerdict(
  memory: MemoryReport,
  role: string,
): { actual: string; passed: boolean } {
  const procs = memory.processes.filter((p) => p.role === role);
  if (procs.length === 0) return { actual: 'no snapshots', passed: false };
  const parts: string[] = [];
  let passed = true;
  for (const p of procs) {
    const { heapSlopeMbPerMin: heap, rssSlopeMbPerMin: rss } = p;
    if (heap === null || rss === null) {
      parts.push(`${p.id}: ${p.fitPoints} points after warm-up, too few`);
      passed = false;
      continue;
    }
    const sign = (n: number) => (n > 0 ? `+${n}` : String(n));
    parts.push(`heap ${sign(heap)}, RSS ${sign(rss)} MB/min`);
    passed &&=
      Math.abs(heap) <= memory.maxSlopeMbPerMin && Math.abs(rss) <= memory.maxSlopeMbPerMin;
  }
  return { actual: parts.join('; '), passed };
}
