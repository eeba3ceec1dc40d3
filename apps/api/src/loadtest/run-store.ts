import type { LoadTestRunRepository } from '@challenges/db';
import type pg from 'pg';
import type { LoadTestRunStore } from './start-run.ts';

/**
 * The launcher's view of `load_test_runs`: the db repository, plus the two conditional writes
 * it lacks (is anything running; end a run only if it is still running, so a runner that wrote
 * its own report in the meantime keeps it).
 */
export function loadTestRunStore(runs: LoadTestRunRepository, pool: pg.Pool): LoadTestRunStore {
  return {
    async create(run) {
      await runs.create({ ...run, options: run.options as Record<string, unknown> });
    },
    async anyRunning() {
      const { rows } = await pool.query(
        `SELECT 1 FROM load_test_runs WHERE status = 'running' LIMIT 1`,
      );
      return rows.length > 0;
    },
    async end(id, status, error) {
      await pool.query(
        `UPDATE load_test_runs SET status = $2, error = $3, finished_at = now()
          WHERE id = $1 AND status = 'running'`,
        [id, status, error],
      );
    },
    async status(id) {
      // Not runs.get: that reads the report bodies too.
      const { rows } = await pool.query(`SELECT status FROM load_test_runs WHERE id = $1`, [id]);
      return (rows[0]?.status as string | undefined) ?? null;
    },
  };
}
