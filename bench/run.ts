// `npm run bench`: server CPU-ms per request and client-side latency for the performance targets (docs/performance.md).
// Each scenario gets its own api process and a fresh database, so results do not depend on
// what ran before.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ApiProcess } from './lib/api-process.ts';
import { measureScenario } from './lib/measure.ts';
import { applyScenario, measureApply } from './lib/measure-apply.ts';
import { ingestScenario, measureIngest } from './lib/measure-ingest.ts';
import {
  latestResults,
  markdownReport,
  markdownTable,
  type ScenarioResult,
  writeResult,
} from './lib/report.ts';
import { scenarios } from './lib/scenarios.ts';

const { BENCH_API_ENTRY, BENCH_DATABASE_URL, REDIS_URL } = process.env;
const root = path.resolve(import.meta.dirname, '..');
const resultsDir = path.join(root, 'bench/results');
const usage = `usage: npm run bench -- [--scenario list|initialize|grpc-list|ingest|apply|all] [--rate N] [--requests N]
                       [--warmup N] [--players N] [--linger MS] [--rate-limit N]
  --rate        requests per second (default: per scenario, list 200, initialize 100)
  --requests    measured requests per scenario (default 3000; fewer makes 10 ms CPU ticks matter)
  --linger      ingest: the api's INGEST_LINGER_MS (default: the api's default)
  --rate-limit  the api's RATE_LIMIT_PER_MIN for list, initialize and grpc-list (default 0: off;
                a limit no bench player reaches measures what counting each request costs)
env: BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/challenges_bench; dropped
     and recreated per scenario), REDIS_URL, BENCH_API_ENTRY (default apps/api/src/main.ts),
     BENCH_API_NODE_ARGS / BENCH_WORKER_NODE_ARGS (extra node flags, e.g. --cpu-prof --cpu-prof-dir=DIR)`;

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'all' },
    rate: { type: 'string' },
    requests: { type: 'string' },
    warmup: { type: 'string' },
    players: { type: 'string' },
    linger: { type: 'string' },
    'rate-limit': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
// `ingest` is measured over the event gRPC service, by its own harness (measure-ingest.ts).
// `apply` runs an api and a worker process and measures the worker side (measure-apply.ts).
const allNames = [...Object.keys(scenarios), ingestScenario.name, applyScenario.name];
const names = values.scenario === 'all' ? allNames : [values.scenario ?? ''];
for (const name of names) {
  if (!allNames.includes(name)) {
    console.error(`unknown scenario '${name}'\n${usage}`);
    process.exit(2);
  }
}

let currentApi: ApiProcess | undefined;
// Ctrl-C must not leave an api behind holding the bench database and a port.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the api`);
    void (currentApi?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

const tmpDir = mkdtempSync(path.join(tmpdir(), 'challenges-bench-'));
const results: ScenarioResult[] = [];
let failed = false;
try {
  for (const name of names) {
    const scenario = scenarios[name];
    try {
      const options = {
        root,
        apiEntry: BENCH_API_ENTRY ?? 'apps/api/src/main.ts',
        tmpDir,
        rate: positive(
          'rate',
          values.rate,
          (scenario ?? (name === applyScenario.name ? applyScenario : ingestScenario)).defaultRate,
        ),
        requests: Math.round(positive('requests', values.requests, 3000)),
        warmup: Math.round(positive('warmup', values.warmup, 1000)),
        players: Math.round(positive('players', values.players, 20)),
        lingerMs: values.linger === undefined ? undefined : Number(values.linger),
        rateLimitPerMin: Math.round(positive('rate-limit', values['rate-limit'], 0)),
        databaseUrl: BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/challenges_bench',
        redisUrl: REDIS_URL ?? 'redis://127.0.0.1:6379',
        onApi: (api: ApiProcess | undefined) => {
          currentApi = api;
        },
        log: (message: string) => console.error(`[bench] ${message}`),
      };
      const result = scenario
        ? await measureScenario(scenario, options)
        : name === applyScenario.name
          ? await measureApply(options)
          : await measureIngest(options);
      results.push(result);
      const file = writeResult(resultsDir, result);
      console.error(`[bench] ${name}: wrote ${path.relative(root, file)}`);
    } catch (error) {
      failed = true;
      console.error(`[bench] ${name} failed: ${error instanceof Error ? error.message : error}`);
    }
  }
} finally {
  rmSync(tmpDir, { recursive: true, force: true });
}

if (results.length > 0) {
  writeFileSync(
    path.join(resultsDir, 'latest.md'),
    markdownReport(latestResults(resultsDir, allNames)),
  );
  console.log(`\n${markdownTable(results)}\n`);
  for (const r of results) {
    if (r.problems.length) console.log(`${r.scenario}: wrong answers: ${r.problems.join('; ')}`);
    const kinds = Object.entries(r.result.errorKinds);
    if (kinds.length) console.log(`${r.scenario}: errors: ${kinds.map(([k, n]) => `${k} ×${n}`)}`);
  }
}
// Missed targets are a finding, not a crash: the exit code only says whether the bench ran.
process.exit(failed ? 1 : 0);
