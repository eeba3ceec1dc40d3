import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');

interface StackReady {
  apiUrl: string;
  webUrl: string;
  rewardControlUrl: string;
  rewardWebhookUrl: string;
  queuePrefix: string;
  databaseUrl: string;
}

/**
 * Starts e2e/stack.ts (database, api, worker, the built dashboard on its server.ts) and hands
 * its URLs to the tests through the environment; the returned function stops it all.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(path.join(root, 'apps/web/.next/BUILD_ID'))) {
    throw new Error('apps/web has no build: run `npm run test:e2e` (it builds first)');
  }
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'stack.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = await new Promise<StackReady>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /E2E_STACK (\{.*\})/.exec(buffered);
      if (match) resolve(JSON.parse(match[1]!));
    });
    child.once('exit', (code) => reject(new Error(`e2e stack exited with ${code}`)));
  });
  process.env.E2E_API_URL = ready.apiUrl;
  process.env.E2E_WEB_URL = ready.webUrl;
  process.env.E2E_REWARD_CONTROL_URL = ready.rewardControlUrl;
  process.env.E2E_REWARD_WEBHOOK_URL = ready.rewardWebhookUrl;
  process.env.E2E_QUEUE_PREFIX = ready.queuePrefix;
  process.env.E2E_DATABASE_URL = ready.databaseUrl;
  return async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
}
