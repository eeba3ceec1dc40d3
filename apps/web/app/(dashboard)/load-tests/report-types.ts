// The parts of the runner's report JSON this page draws. The source of truth is
// tools/loadtest/src/contract.ts (`LoadTestReport`); the runner only adds fields, so a copy of
// what is read here stays valid, and the dashboard does not depend on the runner's package.
import type { RouterOutputs } from '@/lib/trpc';

export type RunRow = RouterOutputs['loadtest']['get'];
export type RunSummary = RouterOutputs['loadtest']['list'][number];

export interface EndpointReport {
  endpoint: string;
  count: number;
  ok: number;
  errors: number;
  throughput: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface ProcessReport {
  id: string;
  role: string;
  cpuPercentAvg: number;
  cpuPercentMax: number;
  cpuMsPerUnit: number | null;
  unit: 'request' | 'event';
  heapUsedMb: { start: number; end: number; max: number };
  rssMbMax: number;
}

export interface ProfileReport {
  processId: string;
  role: string;
  seconds: number;
  error: string | null;
  top: { functionName: string; location: string; selfPercent: number; totalPercent: number }[];
}

export interface TimelinePoint {
  s: number;
  rps: number;
  eps: number;
  p95Ms: number | null;
  apiCpuPercent: number | null;
  workerCpuPercent: number | null;
  apiHeapMb: number | null;
  workerHeapMb: number | null;
  apiRssMb?: number | null;
  workerRssMb?: number | null;
}

export interface CpuTableRow {
  process: string;
  role: string;
  pids: number[];
  cpuMs: number | null;
  percentOfBox: number | null;
  msPerRequest: number | null;
  msPerEvent: number | null;
  msPerCall: number | null;
  note: string | null;
}

export interface CpuTable {
  windowS: number;
  cores: number;
  requests: number;
  events: number;
  boxBusyPercent: number | null;
  rows: CpuTableRow[];
}

export interface MemoryReport {
  warmupS: number;
  maxSlopeMbPerMin: number;
  processes: {
    id: string;
    role: string;
    fitPoints: number;
    heapSlopeMbPerMin: number | null;
    rssSlopeMbPerMin: number | null;
    points: { s: number; heapMb: number; rssMb: number }[];
  }[];
}

export interface LoadTestReport {
  title: string;
  startedAt: string;
  measuredS: number;
  totals: { scheduled: number; completed: number; ok: number; errors: number; dropped: number };
  endpoints: EndpointReport[];
  errorsByKind: Record<string, number>;
  verdict: {
    passed: boolean;
    items: { name: string; target: string; actual: string; passed: boolean }[];
  };
  /** Reports written before these fields existed lack them. */
  server: { processes: ProcessReport[]; cpu?: CpuTable | null };
  memory?: MemoryReport | null;
  profiles: ProfileReport[];
  findings: string[];
  timeline: TimelinePoint[];
}

export interface Progress {
  phase: string;
  elapsedS: number;
  durationS: number;
  sent: number;
  completed: number;
  errors: number;
  dropped: number;
  rps: number;
  eps: number;
  p95Ms: number | null;
}

/** The report of a finished run, if it has one in the expected shape. */
export function reportOf(run: { report: unknown }): LoadTestReport | null {
  const report = run.report as Partial<LoadTestReport> | null;
  return report && Array.isArray(report.endpoints) ? (report as LoadTestReport) : null;
}

export const fmt = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits);

export const STATUS_TONE = {
  running: 'blue',
  completed: 'green',
  failed: 'red',
  cancelled: 'amber',
} as const;
