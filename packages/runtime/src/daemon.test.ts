import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDaemon } from './daemon.ts';

async function until(probe: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// A stand-in server: reads its config from the directory, prints it, says which signal ended it.
const SCRIPT = `cat "$1/app.conf"; echo; trap 'echo "got $2"; exit 0' $2; while :; do sleep 0.05; done`;

describe('startDaemon', () => {
  it('writes its files readable by anyone, captures its output and stops it with the given signal', async () => {
    const daemon = startDaemon({
      command: 'sh',
      prefix: 'daemon-test-',
      args: (dir) => ['-c', SCRIPT, 'sh', dir, 'QUIT'],
      files: (dir) => ({ 'app.conf': `listen here; dir ${dir}` }),
      stopSignal: 'SIGQUIT',
    });
    const file = join(daemon.dir, 'app.conf');
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(statSync(daemon.dir).mode & 0o777).toBe(0o755);
    await until(() => daemon.output().includes('listen here'));
    expect(daemon.output()).toContain(`dir ${daemon.dir}`);
    expect(readFileSync(file, 'utf8')).toBe(`listen here; dir ${daemon.dir}`);
    expect(daemon.running()).toBe(true);

    await daemon.stop();
    expect(daemon.output()).toContain('got QUIT');
    expect(daemon.running()).toBe(false);
    expect(existsSync(daemon.dir)).toBe(false);
  });

  it('stops a frozen (SIGSTOP) process, with a signal given to stop()', async () => {
    const daemon = startDaemon({
      command: 'sh',
      prefix: 'daemon-test-',
      args: (dir) => ['-c', SCRIPT, 'sh', dir, 'TERM'],
      files: () => ({ 'app.conf': 'x' }),
    });
    await until(() => daemon.output().includes('x'));
    daemon.child.kill('SIGSTOP');
    await daemon.stop('SIGTERM');
    expect(daemon.output()).toContain('got TERM');
    expect(daemon.running()).toBe(false);
  });

  it('reports a program that exits on its own and one that is missing', async () => {
    const quits = startDaemon({
      command: 'sh',
      prefix: 'daemon-test-',
      args: () => ['-c', 'echo bad config >&2; exit 1'],
    });
    await until(() => !quits.running());
    expect(quits.output()).toContain('bad config');
    await quits.stop();
    expect(existsSync(quits.dir)).toBe(false);

    const missing = startDaemon({
      command: 'no-such-server-binary',
      prefix: 'daemon-test-',
      args: () => [],
    });
    await until(() => !missing.running());
    expect(missing.output()).toMatch(/no-such-server-binary: .*ENOENT/);
    await missing.stop();
  });
});
