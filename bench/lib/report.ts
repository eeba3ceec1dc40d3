import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LatencySummary } from './stats.ts';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  kernel: string;
  commit: string;
  /** Uncommitted changes in the tree: the numbers may not belong to `commit` exactly. */
  dirty: boolean;
  /** 1/5/15-minute load averages when the run ended: others' work on a shared box shows here. */
  loadAverage?: number[];
}

export interface ScenarioResult {
  scenario: string;
  title: string;
  startedAt: string;
  machine: Machine;
  config: { rate: number; requests: number; warmup: number; players: number; fixture: string };
  result: {
    requests: number;
    ok: number;
    errors: number;
    errorKinds: Record<string, number>;
    elapsedS: number;
    achievedRps: number;
    cpuMs: number;
    cpuMsPerRequest: number;
    /** Read scenarios: CPU of the PostgreSQL backends serving the api, per request (/proc). */
    dbCpuMsPerRequest?: number;
    /**
     * The api's CPU-ms per second at rest (timers, polls, GC): 5 s with no request between the
     * warm-up and the measured window. Already inside cpuMs, ≈ idle ÷ rate per request.
     */
    idleCpuMsPerS: number;
    latencyMs: LatencySummary;
    maxInFlight: number;
    maxSendLagMs: number;
    /** Ingest only: events per queued job (the api's flush batch-size histogram over the run). */
    eventsPerJob?: number;
    /** Ingest only: events per Redis write (one per flush, whatever its partitions). */
    eventsPerWrite?: number;
    /** Ingest only: the api's INGEST_LINGER_MS. */
    lingerMs?: number;
  };
  /** Answers that did not look like the scenario's (wrong row counts, error bodies). */
  problems: string[];
  targets: { cpuMsPerRequest: number; p95Ms?: number };
  referenceCpuMs: number;
  verdict: { pass: boolean; notes: string[] };
}

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return '';
  }
}

export function describeMachine(cwd: string): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? '?',
    cores: os.availableParallelism(),
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    kernel: os.release(),
    commit: git(cwd, ['rev-parse', '--short', 'HEAD']).trim() || 'unknown',
    dirty: git(cwd, ['status', '--porcelain', '--untracked-files=no']).trim() !== '',
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function judge(r: Omit<ScenarioResult, 'verdict'>): ScenarioResult['verdict'] {
  const notes: string[] = [];
  const { result, targets } = r;
  if (!(result.cpuMsPerRequest <= targets.cpuMsPerRequest)) {
    notes.push(`CPU ${result.cpuMsPerRequest} > ${targets.cpuMsPerRequest} ms`);
  }
  if (targets.p95Ms !== undefined && !(result.latencyMs.p95 < targets.p95Ms)) {
    notes.push(`p95 ${result.latencyMs.p95} ≥ ${targets.p95Ms} ms`);
  }
  if (result.errors > 0) notes.push(`${result.errors} errors`);
  if (r.problems.length > 0) notes.push(`${r.problems.length} wrong answers`);
  // An open-model run that could not keep its rate measured a saturated server, not a steady one.
  if (result.achievedRps < r.config.rate * 0.9) {
    notes.push(`saturated: ${result.achievedRps} of ${r.config.rate} req/s`);
  }
  return { pass: notes.length === 0, notes };
}

/** `20251127T215300Z-list.json`: ISO 8601 basic format sorts by time and is safe in file names. */
export function resultFileName(startedAt: string, scenario: string): string {
  const stamp = startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${scenario}.json`;
}

const fmt = (value: number): string => (Number.isFinite(value) ? String(value) : '–');

export function markdownTable(results: ScenarioResult[]): string {
  const rows = results.map((r) => {
    const { result: x, targets: t } = r;
    const target = `≤ ${t.cpuMsPerRequest}${t.p95Ms === undefined ? '' : `, p95 < ${t.p95Ms} ms`}`;
    const verdict = r.verdict.pass ? 'pass' : `**miss**: ${r.verdict.notes.join('; ')}`;
    const run = `${r.startedAt.slice(0, 10)} ${r.machine.commit}${r.machine.dirty ? '+' : ''}`;
    return (
      `| ${r.title} | ${r.config.rate} | ${x.requests} | ${x.errors} | **${fmt(x.cpuMsPerRequest)}** ` +
      `| ${target} | ${r.referenceCpuMs} | ${fmt(x.latencyMs.p50)} | ${fmt(x.latencyMs.p95)} ` +
      `| ${fmt(x.latencyMs.p99)} | ${fmt(x.latencyMs.max)} | ${verdict} | ${run} |`
    );
  });
  return [
    '| scenario | rate (req/s) | requests | errors | CPU-ms/req | target | Go ref. CPU-ms | p50 ms | p95 ms | p99 ms | max ms | verdict | run |',
    '|---|--:|--:|--:|--:|---|--:|--:|--:|--:|--:|---|---|',
    ...rows,
  ].join('\n');
}

export function markdownReport(results: ScenarioResult[]): string {
  const m = results[0]?.machine;
  const machine = m
    ? `${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}, Linux ${m.kernel}`
    : 'no runs yet';
  return [
    '## Benchmark results (`npm run bench`)',
    '',
    `Machine: ${machine}.`,
    '',
    "CPU-ms = the api process's user+system CPU time (/proc/<pid>/stat) divided by requests",
    'served, at a fixed arrival rate below saturation; latency is measured by the client from',
    'each request’s scheduled send time (open model). Run: date, commit (`+` = uncommitted).',
    "A result file's `idleCpuMsPerS` is the api's CPU at rest (5 s between the warm-up and the",
    'measured window), inside CPU-ms at ≈ idle ÷ rate per request.',
    '',
    markdownTable(results),
    '',
  ].join('\n');
}

export function writeResult(dir: string, result: ScenarioResult): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, resultFileName(result.startedAt, result.scenario));
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** Newest saved result per scenario, so latest.md keeps a row for scenarios not rerun now. */
export function latestResults(dir: string, scenarios: string[]): ScenarioResult[] {
  let files: string[] = [];
  try {
    files = readdirSync(dir)
      .filter((f) => /^\d{8}T\d{6}Z-[\w-]+\.json$/.test(f))
      .sort();
  } catch {
    return [];
  }
  return scenarios.flatMap((name) => {
    // `<stamp>-<scenario>.json` exactly: `-list.json` must not pick up `-grpc-list.json`.
    const newest = files.filter((f) => f.replace(/^\d{8}T\d{6}Z-/, '') === `${name}.json`).at(-1);
    return newest
      ? [JSON.parse(readFileSync(path.join(dir, newest), 'utf8')) as ScenarioResult]
      : [];
  });
}
