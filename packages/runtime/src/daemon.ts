// A server program (nginx, pgbouncer, redis-server) run as a child process from a config
// directory of its own: what `npm run cluster` and the tests that need such a server share.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Daemon {
  readonly child: ChildProcess;
  /** Its config directory (removed by `stop`). */
  readonly dir: string;
  /** What it printed on stdout and stderr so far. */
  output(): string;
  /** False once it exited (or was killed). */
  running(): boolean;
  /** Sends `signal` if it still runs, waits for the exit, then removes its directory. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface DaemonOptions {
  command: string;
  /** The arguments, given the config directory. */
  args: (dir: string) => string[];
  /** Files written into the directory first (name → content), given the directory; readable
   * by any user: a server started as root may drop to another user that must still read them. */
  files?: (dir: string) => Record<string, string>;
  /** The directory's name prefix under the system temp directory. */
  prefix: string;
  /** The signal `stop()` sends by default (SIGTERM). */
  stopSignal?: NodeJS.Signals;
}

export function startDaemon(options: DaemonOptions): Daemon {
  const dir = mkdtempSync(join(tmpdir(), options.prefix));
  chmodSync(dir, 0o755);
  for (const [name, content] of Object.entries(options.files?.(dir) ?? {})) {
    writeFileSync(join(dir, name), content, { mode: 0o644 });
  }
  const child = spawn(options.command, options.args(dir), { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const collect = (chunk: Buffer) => {
    text += chunk;
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // A missing binary is an 'error' event, not an exit: it counts as both, with the message.
  let failed = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      failed = true;
      text += `${options.command}: ${error.message}\n`;
      resolve();
    });
  });
  const running = () => !failed && child.exitCode === null && child.signalCode === null;
  return {
    child,
    dir,
    output: () => text,
    running,
    async stop(signal = options.stopSignal ?? 'SIGTERM') {
      if (running()) {
        // A stopped (SIGSTOP) process must run again to act on the signal.
        child.kill('SIGCONT');
        child.kill(signal);
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
