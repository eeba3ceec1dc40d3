// N api and M worker processes on one database and one Redis (one QUEUE_PREFIX), with nginx in
// front of the apis: what `npm run cluster` runs, and what the replicas test drives.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@challenges/runtime';
import { API_NODE_FLAGS } from '../process-manager/services.ts';
import { type ApiPorts, type Nginx, startNginx } from './nginx.ts';

const API_MAIN = fileURLToPath(new URL('../../apps/api/src/main.ts', import.meta.url));
const WORKER_MAIN = fileURLToPath(new URL('../../apps/worker/src/main.ts', import.meta.url));
const START_TIMEOUT_MS = 60_000;

/** node's arguments per process: the apis with the V8 flags of every api launch. */
export const clusterNodeArgs = {
  api: [...API_NODE_FLAGS, '--import', 'tsx', API_MAIN],
  worker: ['--import', 'tsx', WORKER_MAIN],
};

export interface ClusterProcess {
  name: string;
  pid: number;
  /** Everything it printed so far. */
  output(): string;
  /** SIGKILL: no drain; requests it was serving fail. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export interface ApiReplica extends ClusterProcess {
  ports: ApiPorts;
  /** `http://127.0.0.1:<port>` of this replica alone, past nginx. */
  url: string;
}

export interface Cluster {
  apis: ApiReplica[];
  workers: ClusterProcess[];
  nginx: Nginx;
  /** What clients use: everything through nginx. */
  urls: { rest: string; dashboardApi: string; grpc: string; eventsGrpc: string };
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Environment of every process (DATABASE_URL, REDIS_URL, QUEUE_PREFIX, SESSION_SECRET, …). */
  env: Record<string, string | undefined>;
  apis?: number;
  workers?: number;
  /** Variables of api number `n` (from 1) alone, over `env`. */
  apiEnv?: (n: number) => Record<string, string | undefined>;
  /** Each line a process prints, e.g. to prefix and show it. */
  onLine?: (name: string, line: string) => void;
}

function spawnProcess(
  name: string,
  args: string[],
  env: Record<string, string | undefined>,
  onLine: (name: string, line: string) => void,
) {
  const child: ChildProcess = spawn(process.execPath, args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  let pending = '';
  const take = (chunk: Buffer) => {
    text += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(name, line);
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = async (which: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(which);
      await exited;
    }
  };
  const handle: ClusterProcess = {
    name,
    pid: child.pid ?? -1,
    output: () => text,
    kill9: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
  };
  return { handle, child, output: () => text };
}

async function until(
  what: string,
  ready: () => Promise<boolean> | boolean,
  child: ChildProcess,
  output: () => string,
) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await ready())) {
    if (child.exitCode !== null) throw new Error(`${what} exited:\n${output().slice(-4000)}`);
    if (Date.now() > deadline) {
      throw new Error(`${what} not ready within ${START_TIMEOUT_MS} ms:\n${output().slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const healthy = (url: string) =>
  fetch(`${url}/healthz`).then(
    (res) => res.status === 200,
    () => false,
  );

async function startApi(
  n: number,
  env: ClusterOptions['env'],
  onLine: (name: string, line: string) => void,
): Promise<ApiReplica> {
  const ports = { http: await freePort(), grpc: await freePort(), eventsGrpc: await freePort() };
  const started = spawnProcess(
    `api-${n}`,
    clusterNodeArgs.api,
    {
      ...env,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(ports.http),
      GRPC_PORT: String(ports.grpc),
      EVENTS_GRPC_PORT: String(ports.eventsGrpc),
      METRICS_PORT: String(await freePort()),
    },
    onLine,
  );
  const url = `http://127.0.0.1:${ports.http}`;
  await until(`api-${n}`, () => healthy(url), started.child, started.output);
  return { ...started.handle, ports, url };
}

async function startWorker(
  n: number,
  env: ClusterOptions['env'],
  onLine: (name: string, line: string) => void,
): Promise<ClusterProcess> {
  const started = spawnProcess(
    `worker-${n}`,
    clusterNodeArgs.worker,
    { ...env, METRICS_HOST: '127.0.0.1', WORKER_METRICS_PORT: String(await freePort()) },
    onLine,
  );
  const consuming = () => started.output().includes('worker consuming event partitions');
  await until(`worker-${n}`, consuming, started.child, started.output);
  return started.handle;
}

/** Starts everything at once (migrations run under an advisory lock) and nginx once apis answer. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const onLine = options.onLine ?? (() => {});
  const env = { LOG_LEVEL: 'info', ...options.env };
  const numbers = (count: number) => Array.from({ length: count }, (_, i) => i + 1);
  const apiStarts = numbers(options.apis ?? 2).map((n) =>
    startApi(n, { ...env, ...options.apiEnv?.(n) }, onLine),
  );
  const workerStarts = numbers(options.workers ?? 2).map((n) => startWorker(n, env, onLine));
  const settled = await Promise.allSettled([...apiStarts, ...workerStarts]);
  const running = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(running.map((p) => p.stop()));
    throw failed.reason;
  }
  const apis = running.slice(0, apiStarts.length) as ApiReplica[];
  const workers = running.slice(apiStarts.length);
  let nginx: Nginx;
  try {
    nginx = await startNginx(apis.map((api) => api.ports));
  } catch (error) {
    await Promise.all(running.map((p) => p.stop()));
    throw error;
  }
  const rest = `http://127.0.0.1:${nginx.http}`;
  return {
    apis,
    workers,
    nginx,
    urls: {
      rest,
      dashboardApi: `${rest}/trpc`,
      grpc: `127.0.0.1:${nginx.grpc}`,
      eventsGrpc: `127.0.0.1:${nginx.eventsGrpc}`,
    },
    async stop() {
      await nginx.stop();
      await Promise.all(running.map((p) => p.stop()));
    },
  };
}
