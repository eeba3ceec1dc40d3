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

const env = parseEnvOrExit('api', () => parseEnv());
// The app's module graph loads only after the configuration is accepted: a refusal is instant.
const { startApi } = await import('./app.ts');
const log = createLogger({
  level: env.LOG_LEVEL,
  format: chooseLogFormat({ setting: env.LOG_FORMAT, isTTY: process.stdout.isTTY === true }),
});
exitOnProcessFaults(log);
applyProcessNice(env.PROCESS_NICE, log);

const api = await startOrExit('api', log, () => startApi(env, log));
closeOnSignals({ log, close: api.close, running: api.closing, timeoutMs: env.SHUTDOWN_TIMEOUT_MS });
