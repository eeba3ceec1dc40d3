import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { waitFor } from './harness.ts';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object'
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export interface WorkerProcess {
  pid: number;
  metricsPort: number;
  /** Everything the process logged so far (JSON lines). */
  output(): string;
  /** SIGKILL: no drain, no lock release, an open transaction dies with the connection. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for the drain to finish. */
  stop(): Promise<number | null>;
}

/** A real `node --import tsx src/main.ts` worker process, ready once /metrics answers. */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const metricsPort = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'info',
      METRICS_HOST: '127.0.0.1',
      WORKER_METRICS_PORT: String(metricsPort),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  let gone = false;
  void exited.then(() => {
    gone = true;
  });

  await waitFor(
    'worker process ready',
    async () => {
      if (gone) throw new Error(`worker exited during start:\n${output}`);
      return output.includes('worker consuming event partitions');
    },
    30_000,
    50,
  ).catch(async (error) => {
    child.kill('SIGKILL');
    throw error;
  });

  return {
    pid: child.pid ?? -1,
    metricsPort,
    output: () => output,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!gone) child.kill('SIGTERM');
      return exited;
    },
  };
}
