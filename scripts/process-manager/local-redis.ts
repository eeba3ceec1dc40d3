import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createLineSplitter } from './line-prefixer.ts';
import type { LocalServer } from './local-services.ts';

/** What to do when Redis is needed and `redis-server` is not on PATH. */
export const NO_REDIS_SERVER =
  'Redis is not running and redis-server is not on PATH: install it (apt-get install ' +
  'redis-server, brew install redis, or docker run -d -p 6379:6379 redis:7), or set REDIS_URL ' +
  'to a Redis you run.';

/**
 * `redis-server` from PATH on a port of its own, with the settings docs/events.md asks operators for:
 * AOF fsynced every second and no eviction, so an acknowledged event survives a restart.
 */
export async function startLocalRedis(options: {
  dataDir: string;
  port: number;
  log: (line: string) => void;
}): Promise<LocalServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const args = ['--port', String(options.port), '--bind', '127.0.0.1', '--dir', options.dataDir]
    .concat(['--appendonly', 'yes', '--appendfsync', 'everysec'])
    .concat(['--maxmemory-policy', 'noeviction', '--save', '']);
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const recent: string[] = [];
  let ready = false;
  const whenReady = new Promise<void>((resolve, reject) => {
    const lines = createLineSplitter((line) => {
      recent.push(line);
      if (recent.length > 5) recent.shift();
      if (/Ready to accept connections/.test(line)) {
        ready = true;
        resolve();
      }
    });
    child.stdout?.on('data', (chunk: Buffer) => lines.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => lines.push(chunk));
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(new Error(error.code === 'ENOENT' ? NO_REDIS_SERVER : error.message));
    });
    child.once('exit', (code, signal) => {
      if (!ready)
        reject(new Error(`redis-server exited (${code ?? signal}): ${recent.join(' | ')}`));
    });
  });
  await whenReady;
  options.log(
    `Redis started: redis-server on 127.0.0.1:${options.port}, data in ${options.dataDir}`,
  );
  return {
    url: `redis://127.0.0.1:${options.port}`,
    // On SIGTERM Redis fsyncs the AOF and exits.
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
