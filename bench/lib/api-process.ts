import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { API_NODE_FLAGS } from '../../scripts/process-manager/services.ts';

// Extra node flags for the bench's api, e.g. `--cpu-prof --cpu-prof-dir=…` (docs/performance.md).
const { BENCH_API_NODE_ARGS } = process.env;

/** The bench's api gets it in INGEST_API_KEYS; its gRPC events send it as `x-api-key`. */
export const BENCH_INGEST_KEY = randomBytes(24).toString('base64url');

/**
 * Drops the bench database so the api imports the scenario's CHALLENGES_FILE (it only imports
 * into an empty store) and migrates from scratch. psql ships with the PostgreSQL we bench against.
 */
export function dropDatabase(databaseUrl: string): void {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[\w-]+$/.test(name)) throw new Error(`refusing odd database name '${name}'`);
  url.pathname = '/postgres';
  execFileSync(
    'psql',
    [
      url.toString(),
      '-v',
      'ON_ERROR_STOP=1',
      '-qc',
      `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

/**
 * A Redis key prefix of this bench process alone. Bench runs of other engineers share the
 * machine's Redis: with one fixed prefix per scenario, a run that started beside another
 * cleared its queues (and its worker took the other's jobs), which failed the other run with
 * BullMQ "Missing key for job" errors and events never applied.
 */
export function benchPrefix(scenario: string): string {
  return `bench-${process.pid}-${scenario}`;
}

/** Removes the Redis keys of a bench prefix (queues, published-version signals). */
export function clearRedisPrefix(redisUrl: string, prefix: string): void {
  try {
    // Every key the processes write is `<prefix>:…`; without the colon, `p*` would also match
    // the keys of a prefix that merely starts with p.
    const keys = execFileSync('redis-cli', ['-u', redisUrl, '--scan', '--pattern', `${prefix}:*`], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean);
    for (let i = 0; i < keys.length; i += 500) {
      execFileSync('redis-cli', ['-u', redisUrl, 'del', ...keys.slice(i, i + 500)], {
        stdio: 'ignore',
      });
    }
  } catch {
    // Without redis-cli the api still works; stale keys of a unique prefix only cost memory.
  }
}

export interface ApiProcess {
  pid: number;
  baseUrl: string;
  /** `exited with code 1` / `killed by SIGKILL` once the process is gone, else undefined. */
  exitStatus(): string | undefined;
  logTail(): string;
  stop(): Promise<void>;
}

export interface StartApiOptions {
  cwd: string;
  /** The server's entry file, relative to cwd. */
  entry: string;
  env: Record<string, string>;
  readyTimeoutMs?: number;
}

function keepTail(child: ChildProcess, lines: string[], max = 200): void {
  const add = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > max) lines.splice(0, lines.length - max);
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
  if (!stopped) {
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * Runs `node --import tsx <entry>` directly (not via npm or the tsx CLI) so that
 * child.pid is the server process whose /proc CPU time the bench reads.
 */
export async function startApi(options: StartApiOptions): Promise<ApiProcess> {
  const port = options.env.HTTP_PORT;
  const baseUrl = `http://127.0.0.1:${port}`;
  const extra = (BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...API_NODE_FLAGS, ...extra, '--import', 'tsx', options.entry];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  keepTail(child, tail);
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once('exit', (code, signal) => resolve([code, signal]));
  });
  const api: ApiProcess = {
    pid: child.pid ?? -1,
    baseUrl,
    exitStatus: () => {
      if (child.exitCode !== null) return `exited with code ${child.exitCode}`;
      if (child.signalCode !== null) return `killed by ${child.signalCode}`;
      return undefined;
    },
    logTail: () => tail.join('\n'),
    stop: () => stopChild(child, exited),
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 180_000);
  let gone: [number | null, NodeJS.Signals | null] | undefined;
  void exited.then((result) => {
    gone = result;
  });
  while (Date.now() < deadline) {
    if (gone) {
      throw new Error(`api exited before it was ready (${gone[0] ?? gone[1]}):\n${api.logTail()}`);
    }
    try {
      const res = await request(`${baseUrl}/healthz`, { headersTimeout: 2_000 });
      await res.body.dump();
      if (res.statusCode === 200) return api;
    } catch {
      // Not listening yet (migrations and the challenge import run before listen).
    }
    await sleep(250);
  }
  await api.stop();
  throw new Error(
    `api not ready within ${options.readyTimeoutMs ?? 180_000} ms:\n${api.logTail()}`,
  );
}
