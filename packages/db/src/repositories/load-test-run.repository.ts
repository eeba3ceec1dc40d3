import type pg from 'pg';

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

const SUMMARY_COLUMNS = 'id, scenario, options, status, started_at, finished_at, progress, error';

function decode(row: Record<string, unknown>): LoadTestRun {
  return {
    id: row.id as string,
    scenario: row.scenario as string,
    options: row.options as Record<string, unknown>,
    status: row.status as LoadTestRunStatus,
    startedAt: row.started_at as Date,
    finishedAt: (row.finished_at as Date | null) ?? null,
    progress: (row.progress as LoadTestProgress | null) ?? null,
    report: (row.report as Record<string, unknown> | null | undefined) ?? null,
    reportMd: (row.report_md as string | null | undefined) ?? null,
    error: (row.error as string | null) ?? null,
  };
}

export function createLoadTestRunRepository(pool: pg.Pool): LoadTestRunRepository {
  return {
    async create({ id, scenario, options }) {
      const { rows } = await pool.query(
        `INSERT INTO load_test_runs (id, scenario, options, status) VALUES ($1, $2, $3, 'running')
         RETURNING ${SUMMARY_COLUMNS}, report, report_md`,
        [id, scenario, JSON.stringify(options)],
      );
      return decode(rows[0]);
    },

    async updateProgress(id, progress) {
      await pool.query(
        `UPDATE load_test_runs SET progress = $2 WHERE id = $1 AND status = 'running'`,
        [id, JSON.stringify(progress)],
      );
    },

    async finish(id, { report, reportMd, status = 'completed' }) {
      await pool.query(
        `UPDATE load_test_runs
            SET status = $2, report = $3, report_md = $4, finished_at = now()
          WHERE id = $1`,
        [id, status, JSON.stringify(report), reportMd],
      );
    },

    async fail(id, error) {
      await pool.query(
        `UPDATE load_test_runs SET status = 'failed', error = $2, finished_at = now()
          WHERE id = $1`,
        [id, error],
      );
    },

    async get(id) {
      const { rows } = await pool.query(
        `SELECT ${SUMMARY_COLUMNS}, report, report_md FROM load_test_runs WHERE id = $1`,
        [id],
      );
      return rows[0] ? decode(rows[0]) : null;
    },

    async list(limit) {
      const { rows } = await pool.query(
        `SELECT ${SUMMARY_COLUMNS} FROM load_test_runs ORDER BY started_at DESC, id LIMIT $1`,
        [limit],
      );
      return rows.map((row) => {
        const { report: _r, reportMd: _m, ...summary } = decode(row);
        return summary;
      });
    },

    async anyRunning() {
      const { rows } = await pool.query(
        `SELECT 1 FROM load_test_runs WHERE status = 'running' LIMIT 1`,
      );
      return rows.length > 0;
    },

    async statusOf(id) {
      const { rows } = await pool.query(`SELECT status FROM load_test_runs WHERE id = $1`, [id]);
      return (rows[0]?.status as LoadTestRunStatus | undefined) ?? null;
    },

    async endIfRunning(id, status, error) {
      await pool.query(
        `UPDATE load_test_runs SET status = $2, error = $3, finished_at = now()
          WHERE id = $1 AND status = 'running'`,
        [id, status, error],
      );
    },
  };
}
