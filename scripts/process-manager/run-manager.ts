import { type ChildProcess, spawn } from 'node:child_process';
import { type BackoffPolicy, defaultBackoff, planRestart } from './backoff.ts';
import { createLinePrefixer, formatTag } from './line-prefixer.ts';
import type { ServiceSpec } from './services.ts';
import {
  type FailureStreak,
  failureLine,
  nextStreak,
  SAME_FAILURE_LIMIT,
} from './start-failures.ts';

export interface ManagerOptions {
  services: ServiceSpec[];
  cwd?: string;
  /** Passed to every child unchanged, so every variable of docs/operations.md reaches the services. */
  env?: NodeJS.ProcessEnv;
  backoff?: BackoffPolicy;
  /** Identical quick failures of one service after which the stack stops (default 3). */
  sameFailureLimit?: number;
  /** How long children get after SIGTERM before they are killed. */
  stopTimeoutMs?: number;
  useColour?: boolean;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Installs SIGINT/SIGTERM handlers that stop everything (what `npm start` wants). */
  handleSignals?: boolean;
}

export interface Manager {
  /**
   * Resolves when every child has exited after a stop, with the exit code for `npm start`: 1
   * when a service kept failing the same way and the stack was stopped because of it, else 0.
   */
  readonly done: Promise<number>;
  stop(): Promise<number>;
  /** Current PID per service (undefined while waiting to restart). */
  pids(): Record<string, number | undefined>;
}

interface Slot {
  spec: ServiceSpec;
  tag: string;
  child?: ChildProcess;
  exited?: Promise<void>;
  startedAt: number;
  attempt: number;
  timer?: NodeJS.Timeout;
  /** The last non-empty line of the current run's output. */
  lastLine?: string;
  streak?: FailureStreak;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return code !== null ? `exited with code ${code}` : `was killed by ${signal ?? 'unknown signal'}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
}

// Children run in their own process group (detached): a terminal's Ctrl-C then reaches only the
// manager, which stops them in order, and signalling the group also reaches any grandchild (a
// Next.js server may fork).
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

export function runManager(options: ManagerOptions): Manager {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const policy = options.backoff ?? defaultBackoff;
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  const out = options.stdout ?? ((text: string) => process.stdout.write(text));
  const err = options.stderr ?? ((text: string) => process.stderr.write(text));
  const width = Math.max(5, ...options.services.map((s) => s.name.length));
  const ownTag = formatTag('start', options.services.length, width, options.useColour ?? false);
  const log = (message: string): void => err(`${ownTag}${message}\n`);

  const sameFailureLimit = options.sameFailureLimit ?? SAME_FAILURE_LIMIT;
  let stopping = false;
  let exitCode = 0;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((resolve) => {
    resolveDone = resolve;
  });

  const slots: Slot[] = options.services.map((spec, index) => ({
    spec,
    tag: formatTag(spec.name, index, width, options.useColour ?? false),
    startedAt: 0,
    attempt: 0,
  }));

  const launch = (slot: Slot): void => {
    slot.timer = undefined;
    const child = spawn(slot.spec.command, slot.spec.args, {
      cwd,
      env: { ...env, ...slot.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    slot.child = child;
    slot.startedAt = Date.now();
    slot.lastLine = undefined;
    const remember = (line: string): void => {
      if (line.trim() !== '') slot.lastLine = line;
    };
    const stdoutLines = createLinePrefixer(slot.tag, out, remember);
    const stderrLines = createLinePrefixer(slot.tag, err, remember);
    child.stdout?.on('data', (chunk: Buffer) => stdoutLines.push(chunk));
    child.stdout?.on('end', () => stdoutLines.flush());
    child.stderr?.on('data', (chunk: Buffer) => stderrLines.push(chunk));
    child.stderr?.on('end', () => stderrLines.flush());

    slot.exited = new Promise<void>((resolve) => {
      let handled = false;
      const onGone = (code: number | null, signal: NodeJS.Signals | null, why?: string): void => {
        if (handled) return;
        handled = true;
        if (slot.child === child) slot.child = undefined;
        resolve();
        if (stopping) {
          log(`${slot.spec.name} stopped (${describeExit(code, signal)})`);
          return;
        }
        const uptime = Date.now() - slot.startedAt;
        const how = why ?? describeExit(code, signal);
        const said = slot.lastLine === undefined ? '' : failureLine(slot.lastLine);
        slot.streak = nextStreak(slot.streak, `${how}\n${said}`, uptime < policy.resetAfterMs);
        if (slot.streak.count >= sameFailureLimit) {
          giveUp(slot.spec.name, how, said);
          return;
        }
        const plan = planRestart(slot.attempt, uptime, policy);
        slot.attempt = plan.nextAttempt;
        log(
          `${slot.spec.name} ${how} after ${seconds(uptime)}; ` +
            `restarting in ${seconds(plan.delayMs)} (restart #${plan.nextAttempt})`,
        );
        slot.timer = setTimeout(() => launch(slot), plan.delayMs);
      };
      child.once('exit', (code, signal) => onGone(code, signal));
      // A spawn failure (e.g. ENOENT) emits 'error' and never 'exit'.
      child.once('error', (error) => onGone(null, null, `failed to start (${error.message})`));
    });
  };

  const giveUp = (name: string, how: string, said: string): void => {
    log(`${name} failed ${sameFailureLimit} times in a row, the same way (${how}):`);
    if (said !== '') log(`  ${said}`);
    log('Not restarting it: fix the problem above, then run npm start again. Stopping the stack.');
    exitCode = 1;
    void stop();
  };

  const stop = async (): Promise<number> => {
    if (stopping) return done;
    stopping = true;
    for (const slot of slots) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = undefined;
    }
    const running = slots.filter((slot) => slot.child);
    for (const slot of running) if (slot.child) signalGroup(slot.child, 'SIGTERM');
    const allExited = Promise.all(running.map((slot) => slot.exited));
    let timeout: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      allExited.then(() => false),
      new Promise<boolean>((resolve) => {
        timeout = setTimeout(() => resolve(true), stopTimeoutMs);
      }),
    ]);
    clearTimeout(timeout);
    if (timedOut) {
      for (const slot of running) {
        if (!slot.child) continue;
        log(`${slot.spec.name} did not stop within ${seconds(stopTimeoutMs)}; sending SIGKILL`);
        signalGroup(slot.child, 'SIGKILL');
      }
      await allExited;
    }
    resolveDone(exitCode);
    return done;
  };

  if (options.handleSignals) {
    let received = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      received++;
      if (received === 1) {
        log(`${signal} received; stopping ${slots.map((s) => s.spec.name).join(', ')}`);
        void stop();
        return;
      }
      // A second Ctrl-C means "now": do not make the user wait for the grace period.
      log(`${signal} received again; killing`);
      for (const slot of slots) if (slot.child) signalGroup(slot.child, 'SIGKILL');
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    void done.then(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
  }

  for (const slot of slots) launch(slot);

  return {
    done,
    stop,
    pids: () => Object.fromEntries(slots.map((slot) => [slot.spec.name, slot.child?.pid])),
  };
}
