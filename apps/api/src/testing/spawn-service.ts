import { type ChildProcess, spawn } from 'node:child_process';
import { pollUntil } from './definitions-fixtures.ts';

export interface LogLine {
  /** performance.now() in the test process when the line arrived. */
  receivedAt: number;
  line: Record<string, unknown>;
}

export interface SpawnedService {
  child: ChildProcess;
  logs: LogLine[];
  /** Everything the process printed, for failure messages. */
  output(): string;
  waitForLog(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs: number,
  ): Promise<LogLine>;
  stop(): Promise<void>;
  /** The exit code (null when killed by a signal), once the process has exited. */
  exited: Promise<number | null>;
}

/** An api on loopback with every port chosen by the system (read the ports from its logs). */
export const EPHEMERAL_API_PORTS = {
  HTTP_HOST: '127.0.0.1',
  HTTP_PORT: '0',
  GRPC_PORT: '0',
  EVENTS_GRPC_PORT: '0',
  METRICS_PORT: '0',
} as const;

/**
 * Runs `node --import tsx <script>` (a `.js` script: plain `node <script>`) with `env`,
 * collecting its pino JSON lines; `preload` modules are imported first (test hooks).
 */
export function spawnService(
  script: string,
  env: Record<string, string>,
  options: { preload?: string[] } = {},
): SpawnedService {
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const preload = (options.preload ?? []).flatMap((file) => ['--import', file]);
  const child = spawn(process.execPath, [...loader, ...preload, script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  let text = '';
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const raw of lines) {
      try {
        logs.push({ receivedAt: performance.now(), line: JSON.parse(raw) });
      } catch {
        // not a log line
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return {
    child,
    logs,
    exited,
    output: () => text,
    async waitForLog(match, timeoutMs) {
      let found: LogLine | undefined;
      await pollUntil(async () => {
        if (child.exitCode !== null) throw new Error(`process exited:\n${text}`);
        found = logs.find((entry) => match(entry.line));
        return found !== undefined;
      }, timeoutMs).catch((error: Error) => {
        throw new Error(`${error.message}\n--- output ---\n${text.slice(-4000)}`);
      });
      return found!;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
