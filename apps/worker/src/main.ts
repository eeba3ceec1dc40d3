import {
  applyProcessNice,
  chooseLogFormat,
  closeOnSignals,
  createLogger,
  exitOnProcessFaults,
  startOrExit,
} from '@challenges/runtime';
import { parseEnvOrExit } from '@challenges/runtime/env';
import { parseEnv } from './env.ts';

const env = parseEnvOrExit('worker', () => parseEnv());
// The app's module graph loads only after the configuration is accepted: a refusal is instant.
const { startWorker } = await import('./start-worker.ts');
const log = createLogger({
  level: env.LOG_LEVEL,
  format: chooseLogFormat({ setting: env.LOG_FORMAT, isTTY: process.stdout.isTTY === true }),
  base: { service: 'worker', pid: process.pid },
});
exitOnProcessFaults(log);
applyProcessNice(env.PROCESS_NICE, log);

const worker = await startOrExit('worker', log, () => startWorker(env, log));
// The drain finishes running batches; a batch stuck longer than the deadline is re-run by
// another worker once its lock expires (idempotent by batch id).
closeOnSignals({
  log,
  close: worker.close,
  running: worker.closing,
  timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
});
