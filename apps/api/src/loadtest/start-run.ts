import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreError } from '@challenges/core';
import type { LoadTestRunRepository, TestPlayerRepository } from '@challenges/db';
import type { Logger } from 'pino';

export const LOADTEST_SCENARIOS = ['list', 'initialize', 'events', 'mixed', 'sessions'] as const;
export type LoadTestScenario = (typeof LOADTEST_SCENARIOS)[number];

export interface StartRunInput {
  scenario: LoadTestScenario;
  rps: number;
  eps: number;
  durationSeconds: number;
  users: number;
}

/** What the launcher needs of the load-test history. */
export type LoadTestRunStore = Pick<
  LoadTestRunRepository,
  'create' | 'anyRunning' | 'statusOf' | 'endIfRunning'
>;

/** The program and leading arguments that run the runner; tests put a fake runner here. */
export interface RunnerCommand {
  file: string;
  args: string[];
}

/** Where the runner talks to, resolved when a run starts (ports are bound after startup). */
export interface RunTarget {
  httpBase: string;
  basePath: string;
  grpc: string;
  /** EVENTS_GRPC_AUTH=key: event scenarios need secrets.INGEST_API_KEY. */
  eventsNeedKey: boolean;
  namespace: string;
  queuePrefix: string;
  /** This api's Prometheus endpoint (requests served), when it has one. */
  apiMetrics?: string;
  /** The worker's Prometheus endpoint (events applied): without it no lost-events count. */
  workerMetrics: string;
  /** Secrets reach the runner through its environment, never its argv (readable in `ps`). */
  secrets: {
    DATABASE_URL: string;
    REDIS_URL: string;
    ADMIN_API_KEY?: string | undefined;
    INGEST_API_KEY?: string | undefined;
  };
}

/** Where a local client reaches a listener bound to `host` (a wildcard means loopback). */
export function dialHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');

/**
 * The runner CLI (default: the repository's source): a `.ts` file runs through tsx like the api
 * in development; the compiled one (tools/loadtest/dist/cli.js, what the container image sets
 * in LOADTEST_RUNNER) on plain node.
 */
export function defaultRunnerCommand(cli?: string): RunnerCommand {
  const file = cli ?? path.join(root, 'tools/loadtest/src/cli.ts');
  const loader = file.endsWith('.ts') ? ['--import', 'tsx'] : [];
  return { file: process.execPath, args: [...loader, file] };
}

/** Keeps the end of a stream, so a crashed runner's last words reach the run's error. */
function tail(child: ChildProcess, max = 2000): () => string {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-max);
  });
  return () => text.trim();
}

/** Only one run at a time: two would measure each other's load. */
export class LoadTestConflictError extends Error {
  constructor() {
    super('a load test is already running: wait for it to end or cancel it');
  }
}

/** A run this api cannot carry out as asked (its configuration lacks something). */
export class LoadTestPreconditionError extends Error {}

const sendsEvents = (input: StartRunInput) =>
  ['events', 'mixed', 'soak'].includes(input.scenario) && input.eps > 0;

/**
 * A dashboard click that floods the production stack with synthetic players and events is an
 * outage waiting to happen: in production it is opt-in.
 */
function loadTestsDisabled(): CoreError {
  return new CoreError(
    'PERMISSION_DENIED',
    'load tests from the dashboard are off in production: set LOADTEST_DASHBOARD=enabled on the api to allow them, or run `npm run loadtest` against a staging stack',
  );
}

/** `lt-<UTC yyyymmddhhmmss>-<random>`: sorts by start, and two starts in a second differ. */
function newRunId(): string {
  return `lt-${new Date()
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}-${randomUUID().slice(0, 8)}`;
}

/** The runner's argv: where to aim and what to run; secrets never (they go in its environment). */
function runnerArgs(input: StartRunInput, id: string, target: RunTarget): string[] {
  return [
    '--scenario',
    input.scenario,
    '--rps',
    String(input.rps),
    '--eps',
    String(input.eps),
    '--duration',
    `${input.durationSeconds}s`,
    '--users',
    String(input.users),
    '--run-id',
    id,
    '--target',
    target.httpBase,
    '--grpc',
    target.grpc,
    '--base-path',
    target.basePath,
    '--namespace',
    target.namespace,
    '--queue-prefix',
    target.queuePrefix,
    // Mid-run, and short enough to end inside a short run.
    '--profile-seconds',
    String(Math.max(1, Math.min(10, Math.floor(input.durationSeconds / 2)))),
    ...(target.apiMetrics ? ['--api-metrics', target.apiMetrics] : []),
    '--worker-metrics',
    target.workerMetrics,
  ];
}

export interface LoadTestLauncher {
  start(input: StartRunInput): Promise<{ id: string }>;
  /** false when no such run is running. */
  cancel(id: string): Promise<boolean>;
  /** Stops this process's runs (api shutdown): a run against a stopped api measures nothing. */
  close(): Promise<void>;
}

export function createLoadTestLauncher(deps: {
  /** false: every start is refused (production unless LOADTEST_DASHBOARD=enabled). */
  enabled?: boolean;
  store: LoadTestRunStore;
  /** The made-up players of runs, deleted before and after each run this process starts. */
  testPlayers: TestPlayerRepository;
  target: () => RunTarget;
  command?: RunnerCommand;
  /** What the runner inherits besides the target's secrets: this process's environment. */
  inheritedEnv: NodeJS.ProcessEnv;
  log: Logger;
  /** How long a cancelled runner gets to exit on SIGTERM before SIGKILL. */
  killGraceMs?: number;
}): LoadTestLauncher {
  const command = deps.command ?? defaultRunnerCommand();
  const children = new Map<string, { child: ChildProcess; exited: Promise<void> }>();
  const cancelled = new Set<string>();
  // Starts run one at a time in this process, so two clicks cannot both pass the running check.
  let queue: Promise<unknown> = Promise.resolve();

  const kill = (child: ChildProcess, signal: NodeJS.Signals) => {
    try {
      // The runner is a process-group leader (detached): the signal reaches anything it spawned.
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };

  // Before a run too: a cancelled run's last events may have been applied after its clean-up.
  const removeTestPlayers = async (runId: string) => {
    const removed = await deps.testPlayers.removeAll();
    deps.log.info({ runId, ...removed }, 'load-test players removed');
  };

  const stop = async (id: string) => {
    const entry = children.get(id);
    if (!entry) return;
    kill(entry.child, 'SIGTERM');
    const grace = setTimeout(() => kill(entry.child, 'SIGKILL'), deps.killGraceMs ?? 5000);
    await entry.exited;
    clearTimeout(grace);
  };

  async function spawnRun(input: StartRunInput): Promise<{ id: string }> {
    const target = deps.target();
    // Better a clear refusal than a run whose every event answers UNAUTHENTICATED.
    if (sendsEvents(input) && target.eventsNeedKey && !target.secrets.INGEST_API_KEY) {
      throw new LoadTestPreconditionError(
        'event scenarios need an ingest key: set INGEST_API_KEYS (the runner sends the first ' +
          'one), or EVENTS_GRPC_AUTH=none on a private network',
      );
    }
    if (await deps.store.anyRunning()) {
      throw new LoadTestConflictError();
    }
    const id = newRunId();
    await removeTestPlayers(id);
    await deps.store.create({ id, scenario: input.scenario, options: { ...input } });
    const args = [...command.args, ...runnerArgs(input, id, target)];
    const env: NodeJS.ProcessEnv = { ...deps.inheritedEnv, ...target.secrets };
    // Not inherited: a key this api does not have must not come from the parent's environment.
    for (const name of ['ADMIN_API_KEY', 'INGEST_API_KEY'] as const) {
      if (!target.secrets[name]) delete env[name];
    }
    const child = spawn(command.file, args, {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env,
    });
    const lastWords = tail(child);
    const exited = new Promise<void>((resolve) => {
      child.once('error', (error) => {
        deps.log.error({ err: error, runId: id }, 'load-test runner did not start');
      });
      child.once('close', (code, signal) => {
        children.delete(id);
        void (async () => {
          // A runner that died without writing its end would stay "running" and block new runs.
          if (!cancelled.has(id) && (await deps.store.statusOf(id)) === 'running') {
            const why = signal ? `signal ${signal}` : `code ${code}`;
            const words = lastWords();
            await deps.store.endIfRunning(
              id,
              'failed',
              `runner exited (${why})${words ? `: ${words}` : ''}`,
            );
          }
        })()
          .catch((error: unknown) =>
            deps.log.error({ err: error, runId: id }, 'could not record the runner exit'),
          )
          .then(() => removeTestPlayers(id))
          .catch((error: unknown) =>
            deps.log.error({ err: error, runId: id }, 'could not remove the load-test players'),
          )
          .finally(resolve);
      });
    });
    children.set(id, { child, exited });
    deps.log.info({ runId: id, pid: child.pid, scenario: input.scenario }, 'load test started');
    return { id };
  }

  return {
    start(input) {
      if (deps.enabled === false) return Promise.reject(loadTestsDisabled());
      const run = queue.then(() => spawnRun(input));
      queue = run.catch(() => undefined);
      return run;
    },
    async cancel(id) {
      if ((await deps.store.statusOf(id)) !== 'running') return false;
      cancelled.add(id);
      await stop(id);
      // Also for a run this process did not spawn (CLI, restarted api): the row stops blocking.
      if ((await deps.store.statusOf(id)) === 'running') {
        await deps.store.endIfRunning(id, 'cancelled', 'cancelled from the dashboard');
      }
      return true;
    },
    async close() {
      await Promise.all(
        [...children.keys()].map(async (id) => {
          cancelled.add(id);
          await stop(id);
          await deps.store
            .endIfRunning(id, 'cancelled', 'the api stopped')
            .catch((error: unknown) =>
              deps.log.warn({ err: error, runId: id }, 'could not mark the run cancelled'),
            );
        }),
      );
    },
  };
}
