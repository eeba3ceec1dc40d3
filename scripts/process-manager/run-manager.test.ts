import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type Manager, type ManagerOptions, runManager } from './run-manager.ts';
import { isAlive, readyPids, waitFor, writeFakeService } from './test-helpers.ts';

const fastBackoff = { baseMs: 50, maxMs: 200, resetAfterMs: 60_000 };
const cleanup: string[] = [];
const managers: Manager[] = [];
// stop() is idempotent: a test that failed half-way must not leave its children running.
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.stop()));
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function start(options: ManagerOptions): Manager {
  const manager = runManager(options);
  managers.push(manager);
  return manager;
}

function capture() {
  const lines: string[] = [];
  return { lines, write: (text: string) => lines.push(text), text: () => lines.join('') };
}

describe('runManager', () => {
  it('restarts a crashed child with the exit code logged, then stops it with SIGTERM', async () => {
    const fake = writeFakeService();
    cleanup.push(fake.dir);
    const out = capture();
    const err = capture();
    const manager = start({
      services: [{ name: 'fake', command: process.execPath, args: [fake.script, fake.marker] }],
      backoff: fastBackoff,
      stdout: out.write,
      stderr: err.write,
    });

    await waitFor(() => readyPids(out.text()).length === 1);
    expect(err.text()).toContain('[fake]  crashing on purpose\n');
    expect(err.text()).toMatch(
      /\[start\] fake exited with code 3 after [\d.]+s; restarting in 0\.1s/,
    );

    const [pid] = readyPids(out.text());
    expect(manager.pids().fake).toBe(pid);
    await manager.stop();
    expect(out.text()).toContain('[fake]  got SIGTERM\n');
    expect(err.text()).toContain('fake stopped (exited with code 0)');
    expect(isAlive(pid!)).toBe(false);
    expect(readyPids(out.text())).toHaveLength(1);
  });

  it('kills a child that ignores SIGTERM once the grace period is over', async () => {
    const fake = writeFakeService();
    cleanup.push(fake.dir);
    const out = capture();
    const err = capture();
    const manager = start({
      services: [
        {
          name: 'stubborn',
          command: process.execPath,
          args: [fake.script, fake.marker, 'stubborn'],
        },
      ],
      backoff: fastBackoff,
      stopTimeoutMs: 300,
      stdout: out.write,
      stderr: err.write,
    });
    await waitFor(() => readyPids(out.text()).length === 1);

    const started = Date.now();
    await manager.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(out.text()).toContain('ignoring SIGTERM');
    expect(err.text()).toContain('stubborn did not stop within 0.3s; sending SIGKILL');
    expect(err.text()).toContain('stubborn stopped (was killed by SIGKILL)');
    expect(isAlive(readyPids(out.text())[0]!)).toBe(false);
  });

  it('keeps retrying a command that cannot be spawned, without crashing itself', async () => {
    const err = capture();
    const manager = start({
      services: [{ name: 'ghost', command: '/nonexistent/binary', args: [] }],
      backoff: fastBackoff,
      stderr: err.write,
    });
    await waitFor(() => err.text().includes('restart #2'));
    expect(err.text()).toMatch(/ghost failed to start \(spawn \/nonexistent\/binary ENOENT\)/);
    await manager.stop();
  });
});
