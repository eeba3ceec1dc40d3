// `npm start`: every service of SPEC §1 on one machine, logs prefixed, crashed ones restarted.
// Containers and real process supervisors run `npm run start:<service>` instead.
import { shouldUseColour } from './process-manager/line-prefixer.ts';
import { formatBanner, localStackDefaults } from './process-manager/local-stack.ts';
import { runManager } from './process-manager/run-manager.ts';
import {
  defaultServices,
  loadServicesFile,
  type ServiceSpec,
  selectRunnable,
} from './process-manager/services.ts';

const cwd = process.cwd();
// A replacement table (JSON) lets tests, or a second stack, run other processes without edits here.
const { START_SERVICES_FILE: servicesFile } = process.env;
const table: ServiceSpec[] = servicesFile ? loadServicesFile(servicesFile) : defaultServices();
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

const manager = runManager({
  services: runnable,
  cwd,
  env: { ...process.env, ...local.env },
  useColour: shouldUseColour(process.stderr.isTTY && process.stdout.isTTY, process.env),
  handleSignals: true,
});
process.exit(await manager.done);
