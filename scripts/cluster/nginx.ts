// nginx as a child process with the shipped config (deploy/nginx/challenges.conf), its
// placeholders filled: upstream servers, listen ports, and pid/log/temp paths in a directory of
// its own, so it runs beside a system nginx, as root or not.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Daemon, freePort, startDaemon } from '@challenges/runtime';

const TEMPLATE = fileURLToPath(new URL('../../deploy/nginx/challenges.conf', import.meta.url));
export const NGINX_BINARY = '/usr/sbin/nginx';

/** One api replica's ports on loopback. */
export interface ApiPorts {
  http: number;
  grpc: number;
  eventsGrpc: number;
}

export interface Nginx {
  http: number;
  grpc: number;
  eventsGrpc: number;
  /** Access log lines: `<upstream addresses> <status> <method> <uri>`. */
  accessLog(): string[];
  output(): string;
  stop(): Promise<void>;
}

// One failure takes a replica out for 10 s: a killed process is skipped after the first
// refused connection instead of costing each later request a retry.
const serverLines = (ports: number[]) =>
  ports.map((port) => `        server 127.0.0.1:${port} max_fails=1 fail_timeout=10s;`).join('\n');

/** The shipped config with every placeholder filled; throws on one left over. */
export function renderNginxConfig(values: Record<string, string>): string {
  const text = readFileSync(TEMPLATE, 'utf8').replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`nginx template: no value for ${whole}`);
    return value;
  });
  return text;
}

async function waitForPid(pidFile: string, daemon: Daemon, output: () => string) {
  const deadline = Date.now() + 10_000;
  while (!existsSync(pidFile)) {
    if (!daemon.running()) throw new Error(`nginx exited:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`nginx did not start within 10 s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function startNginx(apis: ApiPorts[]): Promise<Nginx> {
  if (!existsSync(NGINX_BINARY)) {
    throw new Error(`${NGINX_BINARY} is missing: apt-get install -y nginx`);
  }
  const [http, grpc, eventsGrpc] = [await freePort(), await freePort(), await freePort()];
  const daemon = startDaemon({
    command: NGINX_BINARY,
    prefix: 'challenges-nginx-',
    args: (dir) => ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'],
    files: (dir) => ({
      'nginx.conf': renderNginxConfig({
        // As root the workers run as nobody; they only need to read below the directory.
        user: process.getuid?.() === 0 ? 'user nobody nogroup;' : '',
        dir,
        listen_host: '127.0.0.1',
        http_port: String(http),
        grpc_port: String(grpc),
        events_grpc_port: String(eventsGrpc),
        api_http_servers: serverLines(apis.map((a) => a.http)),
        api_grpc_servers: serverLines(apis.map((a) => a.grpc)),
        api_events_grpc_servers: serverLines(apis.map((a) => a.eventsGrpc)),
      }),
    }),
    // Graceful: open connections finish first; SIGTERM would cut them.
    stopSignal: 'SIGQUIT',
  });
  const { dir } = daemon;
  const output = () => {
    const errorLog = join(dir, 'error.log');
    return daemon.output() + (existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '');
  };
  const nginx: Nginx = {
    http,
    grpc,
    eventsGrpc,
    accessLog() {
      const file = join(dir, 'access.log');
      return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
    },
    output,
    stop: () => daemon.stop(),
  };
  try {
    await waitForPid(join(dir, 'nginx.pid'), daemon, output);
  } catch (error) {
    await daemon.stop('SIGKILL');
    throw error;
  }
  return nginx;
}
