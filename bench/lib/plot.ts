// The performance plot of the README: CPU-ms per request of each benchmarked path over its runs,
// drawn from bench/results/*.json as a plain SVG (no chart library, no external service).
import type { ScenarioResult } from './report.ts';

/** The paths the plot shows, in panel order. */
export const PLOTTED = ['list', 'initialize', 'grpc-list', 'ingest', 'apply'] as const;

export interface Point {
  startedAt: string;
  cpuMsPerRequest: number;
}

export interface Series {
  scenario: string;
  title: string;
  /** Oldest run first. */
  points: Point[];
  /** The CPU-ms target of the newest run. */
  target: number;
}

/** One series per plotted scenario that has results; other files (startup, ledger) are ignored. */
export function plotSeries(results: ScenarioResult[]): Series[] {
  return PLOTTED.flatMap((scenario) => {
    const runs = results
      .filter((r) => r.scenario === scenario && Number.isFinite(r.result?.cpuMsPerRequest))
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    const newest = runs.at(-1);
    if (!newest) return [];
    return [
      {
        scenario,
        title: newest.title,
        points: runs.map((r) => ({
          startedAt: r.startedAt,
          cpuMsPerRequest: r.result.cpuMsPerRequest,
        })),
        target: newest.targets.cpuMsPerRequest,
      },
    ];
  });
}

const PANEL = { width: 200, height: 210, left: 40, right: 12, top: 44, bottom: 34 };
const COLORS = ['#2563eb', '#16a34a', '#9333ea', '#ea580c', '#dc2626'];

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (n: number) => (n >= 10 ? n.toFixed(0) : n >= 1 ? n.toFixed(1) : n.toFixed(2));

function panel(series: Series, index: number): string {
  const x0 = index * PANEL.width;
  const plotW = PANEL.width - PANEL.left - PANEL.right;
  const plotH = PANEL.height - PANEL.top - PANEL.bottom;
  const max = Math.max(series.target, ...series.points.map((p) => p.cpuMsPerRequest)) * 1.15;
  const y = (v: number) => PANEL.top + plotH - (v / max) * plotH;
  const step = series.points.length > 1 ? plotW / (series.points.length - 1) : 0;
  const x = (i: number) => x0 + PANEL.left + (series.points.length > 1 ? i * step : plotW / 2);
  const color = COLORS[index % COLORS.length];
  const ticks = [0, max / 3, (2 * max) / 3].map(
    (v) =>
      `<line x1="${x0 + PANEL.left}" x2="${x0 + PANEL.left + plotW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e7eb"/>` +
      `<text x="${x0 + PANEL.left - 4}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${num(v)}</text>`,
  );
  const coords = series.points.map(
    (p, i) => `${x(i).toFixed(1)},${y(p.cpuMsPerRequest).toFixed(1)}`,
  );
  const last = series.points.at(-1)!;
  const first = series.points[0]!;
  return [
    `<text x="${x0 + PANEL.width / 2}" y="16" text-anchor="middle" font-weight="bold">${escapeXml(series.scenario)}</text>`,
    `<text x="${x0 + PANEL.width / 2}" y="30" text-anchor="middle" fill="#6b7280">latest ${num(last.cpuMsPerRequest)} · target ≤ ${num(series.target)}</text>`,
    ...ticks,
    `<line x1="${x0 + PANEL.left}" x2="${x0 + PANEL.left + plotW}" y1="${y(series.target).toFixed(1)}" y2="${y(series.target).toFixed(1)}" stroke="${color}" stroke-dasharray="5 4"/>`,
    `<polyline points="${coords.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`,
    ...coords.map(
      (c) => `<circle cx="${c.split(',')[0]}" cy="${c.split(',')[1]}" r="2.5" fill="${color}"/>`,
    ),
    `<text x="${x0 + PANEL.left}" y="${PANEL.height - 14}">${first.startedAt.slice(5, 10)}</text>`,
    `<text x="${x0 + PANEL.left + plotW}" y="${PANEL.height - 14}" text-anchor="end">${last.startedAt.slice(5, 10)}</text>`,
  ].join('\n');
}

/** The chart: one panel per path, the runs as a line, the target as a dashed line. */
export function renderSvg(series: Series[]): string {
  const width = Math.max(1, series.length) * PANEL.width;
  const height = PANEL.height + 18;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...series.map(panel),
    `<text x="${width / 2}" y="${height - 4}" text-anchor="middle" fill="#6b7280">server CPU-ms per request (event for ingest/apply) by bench run, oldest to newest; dashed: target</text>`,
    '</svg>',
    '',
  ].join('\n');
}
