// The runner's report JSON, typed from its contract (tools/loadtest/src/contract.ts): a type-only
// import, so the dashboard bundles none of the runner. The page reads only the fields below;
// the runner only adds fields, so older reports still have them, except where marked optional.
import type {
  CpuTable,
  LoadTestProgress,
  LoadTestReport as RunnerReport,
} from '@challenges/loadtest/contract';
import type { RouterOutputs } from '@/lib/trpc';

export type {
  CpuTable,
  CpuTableRow,
  EndpointReport,
  LatencyMinute,
  MemoryReport,
  ProcessReport,
  ProfileReport,
  TimelinePoint,
} from '@challenges/loadtest/contract';

export type RunRow = RouterOutputs['loadtest']['get'];
export type RunSummary = RouterOutputs['loadtest']['list'][number];

export type LoadTestReport = Pick<
  RunnerReport,
  | 'title'
  | 'startedAt'
  | 'measuredS'
  | 'endpoints'
  | 'errorsByKind'
  | 'verdict'
  | 'profiles'
  | 'findings'
  | 'timeline'
> & {
  totals: Pick<RunnerReport['totals'], 'scheduled' | 'completed' | 'ok' | 'errors' | 'dropped'>;
  /** Reports written before these fields existed lack them. */
  server: Pick<RunnerReport['server'], 'processes'> & { cpu?: CpuTable | null };
  memory?: RunnerReport['memory'];
  latencyByMinute?: RunnerReport['latencyByMinute'];
};

export type Progress = LoadTestProgress;

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
