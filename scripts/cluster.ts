// `npm run cluster`: 2 api + 2 worker processes on one database and Redis, nginx in front
// (deploy/nginx/challenges.conf), to try replicas on one machine. Needs PostgreSQL, Redis and
// nginx running/installed; Ctrl-C stops everything.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_DATABASE_URL } from '@challenges/db/database-url';
import { startCluster } from './cluster/start-cluster.ts';
import { formatBanner, localStackDefaults } from './process-manager/local-stack.ts';

const cwd = process.cwd();
if (existsSync(path.join(cwd, '.env'))) process.loadEnvFile(path.join(cwd, '.env'));

const local = localStackDefaults(process.env);
process.stderr.write(formatBanner(local.banner));
const say = (line: string) => process.stderr.write(`[cluster] ${line}\n`);

const { DATABASE_URL, SESSION_SECRET, CLUSTER_APIS, CLUSTER_WORKERS } = process.env;
const cluster = await startCluster({
  env: {
    ...process.env,
    ...local.env,
    DATABASE_URL: DATABASE_URL ?? DEFAULT_DATABASE_URL,
    // Dashboard sessions are sealed with it: every replica needs the same one.
    SESSION_SECRET: SESSION_SECRET ?? randomBytes(32).toString('base64url'),
  },
  apis: Number(CLUSTER_APIS ?? 2),
  workers: Number(CLUSTER_WORKERS ?? 2),
  onLine: (name, line) => process.stdout.write(`[${name}] ${line}\n`),
}).catch((error: unknown) => {
  say(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

say('ready, all through nginx:');
say(`  REST           ${cluster.urls.rest}/challenge/v1/challenges`);
say(`  gRPC           ${cluster.urls.grpc}`);
say(`  events gRPC    ${cluster.urls.eventsGrpc}`);
say(`  dashboard API  ${cluster.urls.dashboardApi} (tRPC)`);
for (const api of cluster.apis) say(`  ${api.name} (pid ${api.pid}) directly: ${api.url}`);
for (const worker of cluster.workers) say(`  ${worker.name} (pid ${worker.pid})`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  say('stopping');
  await cluster.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
