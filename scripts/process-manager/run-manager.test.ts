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

  it('stops the stack with a summary when a service fails the same way three times in a row', async () => {
    const out = capture();
    const err = capture();
    // Fails at start like the api with its database down: one sentence on stderr, exit 1.
    const failing = `console.error('api cannot start: PostgreSQL is not reachable'); process.exit(1);`;
    const fake = writeFakeService();
    cleanup.push(fake.dir);
    const manager = start({
      services: [
        { name: 'api', command: process.execPath, args: ['-e', failing] },
        { name: 'other', command: process.execPath, args: [fake.script, fake.marker] },
      ],
      backoff: fastBackoff,
      stdout: out.write,
      stderr: err.write,
    });
    expect(await manager.done).toBe(1);
    const text = err.text();
    expect(text.match(/\[api\]\s+api cannot start/g)).toHaveLength(3);
    expect(text).toContain(
      '[start] api failed 3 times in a row, the same way (exited with code 1):',
    );
    expect(text).toContain('[start]   api cannot start: PostgreSQL is not reachable\n');
    expect(text).toContain('[start] Not restarting it: fix the problem above');
    // The rest of the stack is stopped with it, not left looking healthy.
    expect(text).toContain('[start] other stopped');
    for (const pid of readyPids(out.text())) expect(isAlive(pid)).toBe(false);
  });

  it('keeps restarting a service whose failures differ', async () => {
    const err = capture();
    const dir = writeFakeService().dir;
    cleanup.push(dir);
    // Each run says something else (a counter in a file): not the same failure repeating.
    const counter = `${dir}/runs`;
    const differing = `const fs = require('node:fs'); const n = fs.existsSync(${JSON.stringify(counter)}) ? Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8')) + 1 : 1; fs.writeFileSync(${JSON.stringify(counter)}, String(n)); console.error('failure number ' + n); process.exit(1);`;
    const manager = start({
      services: [{ name: 'flaky', command: process.execPath, args: ['-e', differing] }],
      backoff: fastBackoff,
      stderr: err.write,
    });
    await waitFor(() => err.text().includes('restart #4'));
    expect(err.text()).not.toContain('times in a row');
    expect(await manager.stop()).toBe(0);
  });

  it('gives up on a command that cannot be spawned, without crashing itself', async () => {
    const err = capture();
    const manager = start({
      services: [{ name: 'ghost', command: '/nonexistent/binary', args: [] }],
      backoff: fastBackoff,
      stderr: err.write,
    });
    expect(await manager.done).toBe(1);
    expect(err.text()).toMatch(/ghost failed to start \(spawn \/nonexistent\/binary ENOENT\)/);
    expect(err.text()).toContain('ghost failed 3 times in a row, the same way');
  });
});
