// `npm start`: every service of the architecture (docs/contributing.md) on one machine, logs prefixed, crashed ones restarted.
// Containers and real process supervisors run `npm run start:<service>` instead.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_DATABASE_URL } from '@challenges/db/database-url';
import { shouldUseColour } from './process-manager/line-prefixer.ts';
import { DEFAULT_REDIS_URL, provideLocalServices } from './process-manager/local-services.ts';
import { formatBanner, localStackDefaults } from './process-manager/local-stack.ts';
import { runManager } from './process-manager/run-manager.ts';
import {
  defaultServices,
  loadServicesFile,
  type ServiceSpec,
  selectRunnable,
} from './process-manager/services.ts';

const cwd = process.cwd();
// `.env` of the checkout, if any; what the environment already has wins.
if (existsSync(path.join(cwd, '.env'))) process.loadEnvFile(path.join(cwd, '.env'));

// A replacement table (JSON) lets tests, or a second stack, run other processes without edits here.
const { START_SERVICES_FILE: servicesFile } = process.env;
const table: ServiceSpec[] = servicesFile
  ? loadServicesFile(servicesFile)
  : defaultServices(process.env);
const { runnable, skipped } = selectRunnable(table, cwd);

for (const { name, missing } of skipped) {
  process.stderr.write(`[start] ${name} skipped: ${missing} does not exist yet\n`);
}
if (runnable.length === 0) {
  process.stderr.write('[start] nothing to run\n');
  process.exit(1);
}

// Demo defaults (mock player auth, a local ingest key) for what the user left unset, announced.
const local = localStackDefaults(process.env);
process.stderr.write(formatBanner(local.banner));

// PostgreSQL and Redis of our own when none answers (START_DEFAULT_* and START_DATA_DIR are for
// tests: probe other addresses, keep data elsewhere).
const say = (line: string) => process.stderr.write(`[start] ${line}\n`);
const { START_DATA_DIR, START_DEFAULT_DATABASE_URL, START_DEFAULT_REDIS_URL } = process.env;
const servers = await provideLocalServices({
  env: process.env,
  dataDir: path.resolve(cwd, START_DATA_DIR ?? '.data'),
  defaults: {
    databaseUrl: START_DEFAULT_DATABASE_URL ?? DEFAULT_DATABASE_URL,
    redisUrl: START_DEFAULT_REDIS_URL ?? DEFAULT_REDIS_URL,
  },
  log: say,
}).catch((error: unknown) => {
  say(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

const manager = runManager({
  services: runnable,
  cwd,
  env: { ...process.env, ...local.env, ...servers.env },
  useColour: shouldUseColour(process.stderr.isTTY && process.stdout.isTTY, process.env),
  handleSignals: true,
});
const code = await manager.done;
await servers.stop();
process.exit(code);
