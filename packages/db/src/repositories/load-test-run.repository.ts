import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

export type LoadTestRunStatus = 'running' | 'completed' | 'failed' | 'cancelled';

/** What the runner writes every second while a run is going (the `progress` column). */
export interface LoadTestProgress {
  /** `setup` while every user is initialized, `warmup` during the ramp, then `measure`. */
  phase: 'setup' | 'warmup' | 'measure' | 'drain';
  /** Seconds since the measured phase (or the setup, while in setup) started. */
  elapsedS: number;
  durationS: number;
  sent: number;
  completed: number;
  errors: number;
  /** Iterations not sent at all because the client fell too far behind its schedule. */
  dropped: number;
  /** Requests (HTTP) and events (gRPC) completed in the last second. */
  rps: number;
  eps: number;
  /** Over every request answered so far in the measured phase; null before the first. */
  p95Ms: number | null;
}

export interface LoadTestRun {
  id: string;
  scenario: string;
  /** The CLI options of the run, as parsed (see tools/loadtest/src/contract.ts). */
  options: Record<string, unknown>;
  status: LoadTestRunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  progress: LoadTestProgress | null;
  /** The report JSON (tools/loadtest/src/contract.ts `LoadTestReport`); null until done. */
  report: Record<string, unknown> | null;
  reportMd: string | null;
  error: string | null;
  /** The report's verdict (every target met); null while running or without a report. */
  passed: boolean | null;
}

/** A list row: everything but the (large) report bodies. */
export type LoadTestRunSummary = Omit<LoadTestRun, 'report' | 'reportMd'>;

export interface LoadTestRunRepository {
  create(input: {
    id: string;
    scenario: string;
    options: Record<string, unknown>;
  }): Promise<LoadTestRun>;
  /** Only while running: a late progress write cannot overwrite a finished run. */
  updateProgress(id: string, progress: LoadTestProgress): Promise<void>;
  /** completed, or cancelled when the run was stopped early but still produced a report. */
  finish(
    id: string,
    input: {
      report: Record<string, unknown>;
      reportMd: string;
      status?: 'completed' | 'cancelled';
    },
  ): Promise<void>;
  fail(id: string, error: string): Promise<void>;
  get(id: string): Promise<LoadTestRun | null>;
  /** Newest first. */
  list(limit: number): Promise<LoadTestRunSummary[]>;
  /** True when some run is still `running` (from the dashboard or the CLI). */
  anyRunning(): Promise<boolean>;
  /** A run's status without its report bodies; null when there is no such run. */
  statusOf(id: string): Promise<LoadTestRunStatus | null>;
  /**
   * Ends a run that never reported its end, only if it is still running: a runner that wrote
   * its own report in the meantime keeps it.
   */
  endIfRunning(id: string, status: 'failed' | 'cancelled', error: string): Promise<void>;
}

const SUMMARY_SELECT = {
  id: true,
  scenario: true,
  options: true,
  status: true,
  startedAt: true,
  finishedAt: true,
  progress: true,
  error: true,
} as const;
const RUN_SELECT = { ...SUMMARY_SELECT, report: true, reportMd: true } as const;

type SummaryRow = Prisma.LoadTestRunGetPayload<{ select: typeof SUMMARY_SELECT }>;

function decodeSummary(row: SummaryRow, passed: boolean | null): LoadTestRunSummary {
  return {
    ...row,
    passed,
    options: row.options as Record<string, unknown>,
    status: row.status as LoadTestRunStatus,
    progress: row.progress as LoadTestProgress | null,
  };
}

const json = (value: object) => value as Prisma.InputJsonObject;

export function createLoadTestRunRepository(prisma: PrismaClient): LoadTestRunRepository {
  const runs = prisma.loadTestRun;
  return {
    async create({ id, scenario, options }) {
      const row = await runs.create({
        data: { id, scenario, options: json(options), status: 'running' },
        select: RUN_SELECT,
      });
      return { ...decodeSummary(row, null), report: null, reportMd: null };
    },

    async updateProgress(id, progress) {
      await runs.updateMany({
        where: { id, status: 'running' },
        data: { progress: json(progress) },
      });
    },

    async finish(id, { report, reportMd, status = 'completed' }) {
      await runs.updateMany({
        where: { id },
        data: { status, report: json(report), reportMd, finishedAt: new Date() },
      });
    },

    async fail(id, error) {
      await runs.updateMany({
        where: { id },
        data: { status: 'failed', error, finishedAt: new Date() },
      });
    },

    async get(id) {
      const row = await runs.findUnique({ where: { id }, select: RUN_SELECT });
      if (!row) return null;
      const report = row.report as { verdict?: { passed?: unknown } } | null;
      const passed = report?.verdict?.passed;
      return {
        ...decodeSummary(row, typeof passed === 'boolean' ? passed : null),
        report: row.report as Record<string, unknown> | null,
        reportMd: row.reportMd,
      };
    },

    async list(limit) {
      const rows = await runs.findMany({
        select: SUMMARY_SELECT,
        orderBy: [{ startedAt: 'desc' }, { id: 'asc' }],
        take: limit,
      });
      // Only the verdict's flag: the list polls every few seconds and reports run to 100 KB.
      const verdicts = await prisma.$queryRaw<{ id: string; passed: boolean | null }[]>`
        SELECT id, (report #>> '{verdict,passed}')::boolean AS passed
          FROM load_test_runs WHERE id = ANY(${rows.map((r) => r.id)}::text[])`;
      const passed = new Map(verdicts.map((v) => [v.id, v.passed]));
      return rows.map((row) => decodeSummary(row, passed.get(row.id) ?? null));
    },

    async anyRunning() {
      const running = await runs.findFirst({ where: { status: 'running' }, select: { id: true } });
      return running !== null;
    },

    async statusOf(id) {
      const row = await runs.findUnique({ where: { id }, select: { status: true } });
      return (row?.status as LoadTestRunStatus | undefined) ?? null;
    },

    async endIfRunning(id, status, error) {
      await runs.updateMany({
        where: { id, status: 'running' },
        data: { status, error, finishedAt: new Date() },
      });
    },
  };
}
