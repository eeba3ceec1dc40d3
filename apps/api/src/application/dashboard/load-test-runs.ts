import type { LoadTestRun, LoadTestRunRepository, LoadTestRunSummary } from '@challenges/db';

/** The load-test history (docs/performance.md); runs are started and cancelled by the launcher. */
export interface LoadTestRunDeps {
  runs: LoadTestRunRepository;
}

/** Newest first, without the report bodies. */
export function listLoadTestRuns(
  { runs }: LoadTestRunDeps,
  input: { limit: number },
): Promise<LoadTestRunSummary[]> {
  return runs.list(input.limit);
}

/** One run with its report; null when there is no such run. */
export function getLoadTestRun(
  { runs }: LoadTestRunDeps,
  input: { id: string },
): Promise<LoadTestRun | null> {
  return runs.get(input.id);
}
