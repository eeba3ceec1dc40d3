import type { Writable } from 'node:stream';
import pino, { type LevelWithSilent, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'json' | 'pretty';

/** LOG_FORMAT wins; unset, a person at a terminal gets readable lines and a pipe gets JSON. */
export function chooseLogFormat(options: {
  setting: LogFormat | undefined;
  isTTY: boolean;
}): LogFormat {
  return options.setting ?? (options.isTTY ? 'pretty' : 'json');
}

/** The process logger of api and worker; `destination` is stdout unless a test passes one. */
export function createLogger(options: {
  level: LevelWithSilent;
  format: LogFormat;
  base?: Record<string, unknown>;
  destination?: Writable;
}): Logger {
  const pinoOptions = { level: options.level, ...(options.base ? { base: options.base } : {}) };
  if (options.format === 'json') {
    return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
  }
  // Synchronous, so the last lines before an exit on a fault reach the terminal.
  return pino(
    pinoOptions,
    pretty({ colorize: !options.destination, sync: true, destination: options.destination ?? 1 }),
  );
}
