import { parseEnvOrExit } from '@challenges/runtime/env';
import pino from 'pino';
import { parseEnv } from './env.ts';

const env = parseEnvOrExit('worker', () => parseEnv());
// The app's module graph loads only after the configuration is accepted: a refusal is instant.
const { startWorker } = await import('./start-worker.ts');
const log = pino({ level: env.LOG_LEVEL, base: { service: 'worker', pid: process.pid } });

try {
  const worker = await startWorker(env, log);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'draining: finishing running batches, then closing');
    try {
      await worker.close();
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'unclean shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
} catch (error) {
  log.fatal({ err: error }, error instanceof Error ? error.message : 'failed to start');
  process.exit(1);
}
