import { fileURLToPath } from 'node:url';
import { freePort } from '@challenges/runtime';
import { spawnService } from '../../../api/src/testing/spawn-service.ts';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

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

/** A real `node --import tsx src/main.ts` worker process, ready once it consumes its partitions. */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const metricsPort = await freePort();
  const worker = spawnService(MAIN, {
    LOG_LEVEL: 'info',
    METRICS_HOST: '127.0.0.1',
    WORKER_METRICS_PORT: String(metricsPort),
    ...env,
  });
  await worker
    .waitForLog((line) => line.msg === 'worker consuming event partitions', 30_000)
    .catch((error: unknown) => {
      worker.child.kill('SIGKILL');
      throw error;
    });
  return {
    pid: worker.child.pid ?? -1,
    metricsPort,
    output: worker.output,
    async kill9() {
      worker.child.kill('SIGKILL');
      await worker.exited;
    },
    async stop() {
      await worker.stop();
      return worker.exited;
    },
  };
}
