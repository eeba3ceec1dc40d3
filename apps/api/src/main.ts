import { closeOnSignals, exitOnProcessFaults } from '@challenges/runtime';
import pino from 'pino';
import { startApi } from './app.ts';
import { parseEnv } from './env.ts';

const env = parseEnv();
const log = pino({ level: env.LOG_LEVEL });
exitOnProcessFaults(log);

try {
  const api = await startApi(env, log);
  closeOnSignals({ log, close: api.close, timeoutMs: env.SHUTDOWN_TIMEOUT_MS });
} catch (error) {
  log.fatal({ err: error }, error instanceof Error ? error.message : 'failed to start');
  process.exit(1);
}
