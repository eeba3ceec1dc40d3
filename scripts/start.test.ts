import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_INGEST_KEY } from './process-manager/local-stack.ts';
import { isAlive, readyPids, waitFor, writeFakeService } from './process-manager/test-helpers.ts';

const root = path.resolve(import.meta.dirname, '..');
// Resolved here: a run from another directory (the .env test) would not find it from there.
const tsx = import.meta.resolve('tsx');
const fake = writeFakeService();
const cleanupDirs: string[] = [fake.dir];
afterAll(() => {
  for (const dir of cleanupDirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs scripts/start.ts with a service table, collecting its output. */
function startManager(services: object[], env: Record<string, string | undefined>, cwd = root) {
  const table = path.join(fake.dir, `services-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(table, JSON.stringify(services));
  const manager = spawn(process.execPath, ['--import', tsx, path.join(root, 'scripts/start.ts')], {
    cwd,
    env: { ...env, START_SERVICES_FILE: table, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  manager.stdout.on('data', (chunk: Buffer) => {
    output.stdout += chunk;
  });
  manager.stderr.on('data', (chunk: Buffer) => {
    output.stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => manager.on('exit', resolve));
  return { manager, output, exited };
}

// Prints what the services see, then stays up until SIGTERM (or its parent is gone).
const printEnv = `
console.log('seen AUTH_MODE=' + process.env.AUTH_MODE + ' INGEST_API_KEYS=' + process.env.INGEST_API_KEYS);
process.on('SIGTERM', () => process.exit(0));
const parent = process.ppid;
setInterval(() => { if (process.ppid !== parent) process.exit(0); }, 200);
`;

describe('npm start (scripts/start.ts)', () => {
  it('with no configuration, gives services mock auth and the local ingest key, with a banner', async () => {
    const {
      AUTH_MODE: _a,
      INGEST_API_KEYS: _k,
      JWT_SECRET: _s,
      NODE_ENV: _n,
      ...clean
    } = process.env;
    const { manager, output, exited } = startManager(
      [{ name: 'env', args: ['-e', printEnv] }],
      clean,
    );
    try {
      await waitFor(() => output.stdout.includes('seen AUTH_MODE='), 20_000);
      expect(output.stdout).toContain(`seen AUTH_MODE=mock INGEST_API_KEYS=${LOCAL_INGEST_KEY}`);
      expect(output.stderr).toContain('[start] LOCAL DEVELOPMENT STACK: do not expose it');
      expect(output.stderr).toContain('[start] AUTH_MODE=mock: player auth is OFF');
    } finally {
      manager.kill('SIGTERM');
      await exited;
    }
  }, 30_000);

  it('reads .env of its directory; what the environment sets wins', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'start-dotenv-'));
    cleanupDirs.push(dir);
    // The URLs are set, so npm start runs no servers of its own here.
    writeFileSync(
      path.join(dir, '.env'),
      'INGEST_API_KEYS=key-from-dotenv\nAUTH_MODE=jwt\nDATABASE_URL=postgresql://127.0.0.1:1/x\n' +
        'REDIS_URL=redis://127.0.0.1:1\n',
    );
    const { INGEST_API_KEYS: _k, DATABASE_URL: _d, REDIS_URL: _r, ...rest } = process.env;
    const { manager, output, exited } = startManager(
      [{ name: 'env', args: ['-e', printEnv] }],
      { ...rest, AUTH_MODE: 'mock' },
      dir,
    );
    try {
      await waitFor(() => output.stdout.includes('seen AUTH_MODE='), 20_000);
      expect(output.stdout).toContain('seen AUTH_MODE=mock INGEST_API_KEYS=key-from-dotenv');
    } finally {
      manager.kill('SIGTERM');
      await exited;
    }
  }, 30_000);

  it('without Redis and without redis-server, says in one line how to get one, and stops', async () => {
    // A PATH with node alone: no redis-server to find.
    const bin = mkdtempSync(path.join(tmpdir(), 'start-no-redis-'));
    cleanupDirs.push(bin);
    symlinkSync(process.execPath, path.join(bin, 'node'));
    const { REDIS_URL: _r, ...rest } = process.env;
    const { output, exited } = startManager([{ name: 'env', args: ['-e', printEnv] }], {
      ...rest,
      PATH: bin,
      DATABASE_URL: 'postgresql://127.0.0.1:1/x',
      START_DEFAULT_REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(await exited).toBe(1);
    expect(output.stderr).toContain(
      '[start] cannot start: Redis is not running and redis-server is not on PATH: install it ' +
        '(apt-get install redis-server, brew install redis, or docker run -d -p 6379:6379 ' +
        'redis:7), or set REDIS_URL to a Redis you run.\n',
    );
    expect(output.stdout).not.toContain('seen AUTH_MODE=');
  }, 30_000);

  it('restarts a service that crashes once and exits cleanly on SIGTERM', async () => {
    const { manager, output, exited } = startManager(
      [
        { name: 'fake', args: [fake.script, fake.marker] },
        { name: 'later', args: ['apps/later/src/main.ts'], requires: ['apps/later/src/main.ts'] },
      ],
      process.env,
    );
    try {
      await waitFor(() => readyPids(output.stdout).length === 1, 20_000);
      expect(output.stderr).toContain(
        '[start] later skipped: apps/later/src/main.ts does not exist yet',
      );
      expect(output.stderr).toMatch(
        /\[start\] fake exited with code 3 after [\d.]+s; restarting in 1\.0s/,
      );

      manager.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output.stdout).toContain('[fake]  got SIGTERM');
      expect(output.stderr).toContain('[start] SIGTERM received; stopping fake');
      expect(isAlive(readyPids(output.stdout)[0]!)).toBe(false);
    } finally {
      // On a failed assertion, still stop the manager (and through it the fake service).
      if (manager.exitCode === null && manager.signalCode === null) {
        manager.kill('SIGTERM');
        await exited;
      }
    }
  }, 30_000);
});
