// Process-level plumbing shared by the api and worker entry points (their main.ts).
import { getPriority, setPriority as setProcessPriority } from 'node:os';
import { DatabaseUnreachableError } from '@challenges/db/connection-errors';
import type { Logger } from 'pino';

type Exit = (code: number) => never;

/**
 * Sets this process's nice value (PROCESS_NICE). Lowering the priority needs no privilege;
 * raising it does (CAP_SYS_NICE): refused, the process runs on at the priority it has and says so.
 */
export function applyProcessNice(
  nice: number | undefined,
  log: Logger,
  setPriority: (priority: number) => void = setProcessPriority,
): void {
  if (nice === undefined) return;
  try {
    setPriority(nice);
    log.info({ nice }, 'scheduling priority set (PROCESS_NICE)');
  } catch (error) {
    log.warn(
      { err: error, nice, current: getPriority() },
      'PROCESS_NICE could not be applied (a higher priority needs CAP_SYS_NICE); running at the current one',
    );
  }
}

/**
 * Logs an uncaught exception or an unhandled rejection through pino (one JSON line a log
 * pipeline can alert on, instead of a bare stack on stderr), then exits 1: the process state is
 * unknown afterwards. Node ≥ 15 already treats an unhandled rejection as fatal; we keep that.
 */
export function exitOnProcessFaults(log: Logger, exit: Exit = process.exit): void {
  process.on('uncaughtException', (error, origin) => {
    log.fatal({ err: error, origin }, 'uncaught exception; exiting');
    exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    log.fatal({ err: reason }, 'unhandled promise rejection; exiting');
    exit(1);
  });
}

/**
 * A close made of named steps run one after another; `running()` names the step under way, so a
 * shutdown that overruns its deadline says what it waited on.
 */
export function closeSteps() {
  let current: string | undefined;
  return {
    async step(name: string, run: () => unknown): Promise<void> {
      current = name;
      await run();
      current = undefined;
    },
    running: (): string | undefined => current,
  };
}

/**
 * On SIGTERM or SIGINT runs `close` once and exits 0 when it finishes. A close that fails, or
 * that takes longer than `timeoutMs` (a client holding a request open, a job stuck on a lock),
 * exits 1, so an orchestrator's restart never waits on a process that will not stop.
 */
export function closeOnSignals(options: {
  log: Logger;
  close: () => Promise<void>;
  /** The close step under way (closeSteps().running), named when the deadline passes. */
  running?: () => string | undefined;
  timeoutMs: number;
  exit?: Exit;
}): void {
  const { log, timeoutMs } = options;
  const exit = options.exit ?? process.exit;
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, timeoutMs }, 'shutting down');
    const deadline = setTimeout(() => {
      log.error(
        { timeoutMs, step: options.running?.() },
        'graceful shutdown took longer than SHUTDOWN_TIMEOUT_MS; exiting',
      );
      exit(1);
    }, timeoutMs);
    try {
      await options.close();
      clearTimeout(deadline);
      log.info('shut down');
      exit(0);
    } catch (error) {
      clearTimeout(deadline);
      log.error({ err: error }, 'unclean shutdown');
      exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/**
 * Runs a service's start. A failure a person can fix (the database cannot be reached) ends the
 * process with that sentence alone on stderr, as a configuration problem does; anything else is
 * logged through pino with its stack.
 */
export async function startOrExit<T>(
  service: string,
  log: Logger,
  start: () => Promise<T>,
): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (error instanceof DatabaseUnreachableError) {
      process.stderr.write(`${service} cannot start: ${error.message}\n`);
    } else {
      log.fatal({ err: error }, error instanceof Error ? error.message : 'failed to start');
    }
    process.exit(1);
  }
}
