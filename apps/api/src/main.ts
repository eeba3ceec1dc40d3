import { parseEnvOrExit } from '@challenges/runtime/env';
import pino from 'pino';
import { parseEnv } from './env.ts';

const env = parseEnvOrExit('api', () => parseEnv());
// The app's module graph loads only after the configuration is accepted: a refusal is instant.
const { startApi } = await import('./app.ts');
const log = pino({ level: env.LOG_LEVEL });

try {
  const api = await startApi(env, log);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await api.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
} catch (error) {
  log.fatal({ err: error }, error instanceof Error ? error.message : 'failed to start');
  process.exit(1);
}
