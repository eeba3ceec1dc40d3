// The stack the browser tests drive: a fresh database, a real api and worker, and the built
// dashboard behind its own server (server.ts) — started as a separate process (`node --import tsx`) because the api's sources and
// the db test helpers are ESM TypeScript that Playwright's own loader does not run.
// Prints one `E2E_STACK {json}` line when everything answers; SIGTERM stops it all and drops
// the database.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@challenges/db/testing';
import { freePort } from '@challenges/runtime';
import { E2E_ADMIN, E2E_INGEST_KEY } from './constants.ts';
import { startE2eRewardWebhook } from './reward-webhook.ts';

const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const webDir = path.join(root, 'apps/web');

interface Child {
  name: string;
  process: ChildProcess;
  output: string[];
}

function start(name: string, args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 400) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { name, process: child, output };
}

/** Resolves with the first JSON log line that `match`es; rejects when the process exits. */
function waitForLog(child: Child, match: (line: Record<string, unknown>) => boolean) {
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    let pending = '';
    const onData = (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const raw of lines) {
        try {
          const line = JSON.parse(raw) as Record<string, unknown>;
          if (match(line)) {
            child.process.stdout?.off('data', onData);
            resolve(line);
            return;
          }
        } catch {
          // not a log line
        }
      }
    };
    child.process.stdout?.on('data', onData);
    child.process.once('exit', (code) =>
      reject(new Error(`${child.name} exited (${code}):\n${child.output.join('').slice(-3000)}`)),
    );
  });
}

async function waitForHttp(url: string, child: Child): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`${child.name} exited`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within 30 s:\n${child.output.join('').slice(-3000)}`);
}

const database = await createTestDatabase();
const children: Child[] = [];
let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.process.exitCode !== null) return resolve();
          c.process.once('exit', () => resolve());
          c.process.kill('SIGTERM');
        }),
    ),
  );
  await database.drop();
  process.exit(code);
}
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));

try {
  // Rewards go to a webhook the tests control (reward-webhook.ts): a real provider → failed →
  // retry → granted path, which the mock provider's failure counter cannot make deterministic.
  const rewards = await startE2eRewardWebhook(randomBytes(16).toString('hex'));
  const shared = {
    DATABASE_URL: database.url,
    QUEUE_PREFIX: `e2e-${randomBytes(4).toString('hex')}`,
    CHALLENGES_FILE: path.join(root, 'apps/api/src/testing/challenges.test.json'),
    LOG_LEVEL: 'info',
    NODE_ENV: 'test',
    REWARD_PROVIDER: 'webhook',
    REWARD_WEBHOOK_URL: rewards.webhookUrl,
    REWARD_WEBHOOK_SECRET: rewards.secret,
    // Outbound webhooks (webhooks.spec.ts) may reach the stack's receiver on 127.0.0.1 only.
    WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32',
  };
  const webPort = String(await freePort());
  // Chosen up front: the api passes it to the load-test runner, which counts lost events there.
  const workerMetricsPort = String(await freePort());
  const webUrl = `http://127.0.0.1:${webPort}`;
  const api = start('api', ['--import', 'tsx', 'apps/api/src/main.ts'], {
    ...shared,
    // The browser tests act as players through x-mock-user-id (jwt is the api's default).
    AUTH_MODE: 'mock',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    GRPC_PORT: '0',
    EVENTS_GRPC_PORT: '0',
    METRICS_PORT: '0',
    WORKER_METRICS_PORT: workerMetricsPort,
    RATE_LIMIT_PER_MIN: '0',
    ADMIN_EMAIL: E2E_ADMIN.email,
    ADMIN_PASSWORD: E2E_ADMIN.password,
    INGEST_API_KEYS: E2E_INGEST_KEY,
    // The load-test runner the api spawns profiles the api with it (load-tests.spec.ts).
    ADMIN_API_KEY: randomBytes(24).toString('base64url'),
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    // The only origin whose cookie-authenticated changes the api accepts (CSRF rule).
    DASHBOARD_ORIGINS: webUrl,
  });
  children.push(api);
  const listening = await waitForLog(api, (l) => l.msg === 'REST API listening');
  const apiUrl = `http://127.0.0.1:${listening.port}`;
  const worker = start('worker', ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    ...shared,
    WORKER_METRICS_PORT: workerMetricsPort,
  });
  children.push(worker);
  await waitForLog(worker, (l) => l.msg === 'definitions loaded');

  const web = start('web', ['--import', 'tsx', path.join(webDir, 'server.ts')], {
    API_URL: apiUrl,
    WEB_PORT: webPort,
    WEB_HOST: '127.0.0.1',
  });
  children.push(web);
  await waitForHttp(`${webUrl}/sign-in`, web);
  process.stdout.write(
    `E2E_STACK ${JSON.stringify({
      apiUrl,
      webUrl,
      rewardControlUrl: rewards.controlUrl,
      rewardWebhookUrl: rewards.webhookUrl,
      queuePrefix: shared.QUEUE_PREFIX,
      databaseUrl: database.url,
    })}\n`,
  );
} catch (error) {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  await stop(1);
}
