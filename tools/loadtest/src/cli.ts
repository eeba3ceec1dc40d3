// `npm run loadtest -- --scenario …`: runs a scenario against a running stack, writes
// loadtest/results/<run-id>/report.{json,md} and the load_test_runs row (docs/performance.md).
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createLoadTestRunRepository,
  createPool,
  createPrismaClient,
  type LoadTestRunRepository,
} from '@challenges/db';
import type { LoadTestReport } from './contract.ts';
import { renderMarkdown } from './markdown.ts';
import { parseCli, usage } from './options.ts';
import { runLoadTest } from './runner.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** The run's last step: report.json and report.md in `dir`, and the history row finished. */
async function persist(
  report: LoadTestReport,
  target: { dir: string; runs: LoadTestRunRepository | undefined; cancelled: boolean },
): Promise<string> {
  const markdown = renderMarkdown(report);
  mkdirSync(target.dir, { recursive: true });
  writeFileSync(path.join(target.dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(target.dir, 'report.md'), markdown);
  await target.runs?.finish(report.runId, {
    report: report as unknown as Record<string, unknown>,
    reportMd: markdown,
    status: target.cancelled ? 'cancelled' : 'completed',
  });
  return markdown;
}

async function main(): Promise<number> {
  let cli: ReturnType<typeof parseCli>;
  try {
    cli = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n${usage}`);
    return 2;
  }
  if (cli.help) {
    console.log(usage);
    return 0;
  }
  const runId =
    cli.runId ??
    `${new Date().toISOString().replace(/[:.]/g, '-')}-${cli.options.scenario}-${randomUUID().slice(0, 8)}`;
  const pool = cli.databaseUrl
    ? createPool({ databaseUrl: cli.databaseUrl, max: 2, applicationName: 'loadtest' })
    : undefined;
  const runs: LoadTestRunRepository | undefined = pool
    ? createLoadTestRunRepository(createPrismaClient(pool))
    : undefined;
  const withEvents =
    ['events', 'mixed', 'soak', 'streams'].includes(cli.options.scenario) && cli.options.eps > 0;
  if (withEvents && !cli.ingestKey)
    console.error(
      '[loadtest] no --ingest-key / INGEST_API_KEY: events go without x-api-key, which only ' +
        'an api with EVENTS_GRPC_AUTH=none accepts',
    );
  if (!runs)
    console.error(
      '[loadtest] no --database-url / DATABASE_URL: the run is not saved to the history',
    );
  // The dashboard creates the row before spawning us; a --run-id of the CLI user may be new.
  if (runs && (!cli.runId || (await runs.get(runId)) === null))
    await runs.create({ id: runId, scenario: cli.options.scenario, options: { ...cli.options } });

  // SIGTERM is how the dashboard cancels: stop sending, still write a report of what ran.
  const abort = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => abort.abort());

  let lastWrite: Promise<void> = Promise.resolve();
  try {
    const report = await runLoadTest({
      runId,
      options: cli.options,
      ...(cli.adminKey ? { adminKey: cli.adminKey } : {}),
      ...(cli.ingestKey ? { ingestKey: cli.ingestKey } : {}),
      ...(cli.jwtSecret ? { jwtSecret: cli.jwtSecret } : {}),
      signal: abort.signal,
      onProgress: (progress) => {
        // One write at a time: a slow database must not pile up progress updates.
        if (runs)
          lastWrite = lastWrite
            .then(() => runs.updateProgress(runId, progress))
            .catch(() => undefined);
      },
    });
    const dir = path.resolve(root, cli.out, runId);
    await lastWrite;
    const markdown = await persist(report, { dir, runs, cancelled: abort.signal.aborted });
    console.error(
      `[loadtest] ${report.verdict.passed ? 'PASS' : 'FAIL'} — wrote ${path.relative(root, dir)}/report.{json,md}`,
    );
    console.log(markdown);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`[loadtest] failed: ${message}`);
    await lastWrite;
    await runs?.fail(runId, message).catch(() => undefined);
    return 1;
  } finally {
    await pool?.end();
  }
}

process.exit(await main());
