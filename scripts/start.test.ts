import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, readyPids, waitFor, writeFakeService } from './process-manager/test-helpers.ts';

const root = path.resolve(import.meta.dirname, '..');
const fake = writeFakeService();
afterAll(() => rmSync(fake.dir, { recursive: true, force: true }));

describe('npm start (scripts/start.ts)', () => {
  it('restarts a service that crashes once and exits cleanly on SIGTERM', async () => {
    const table = path.join(fake.dir, 'services.json');
    writeFileSync(
      table,
      JSON.stringify([
        { name: 'fake', args: [fake.script, fake.marker] },
        { name: 'later', args: ['apps/later/src/main.ts'], requires: ['apps/later/src/main.ts'] },
      ]),
    );
    const manager = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: root,
      env: { ...process.env, START_SERVICES_FILE: table, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    manager.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    manager.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => manager.on('exit', resolve));

    try {
      await waitFor(() => readyPids(stdout).length === 1, 20_000);
      expect(stderr).toContain('[start] later skipped: apps/later/src/main.ts does not exist yet');
      expect(stderr).toMatch(
        /\[start\] fake exited with code 3 after [\d.]+s; restarting in 1\.0s/,
      );

      manager.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stdout).toContain('[fake]  got SIGTERM');
      expect(stderr).toContain('[start] SIGTERM received; stopping fake');
      expect(isAlive(readyPids(stdout)[0]!)).toBe(false);
    } finally {
      // On a failed assertion, still stop the manager (and through it the fake service).
      if (manager.exitCode === null && manager.signalCode === null) {
        manager.kill('SIGTERM');
        await exited;
      }
    }
  }, 30_000);
});
