import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  /** Files (relative to the working directory) that must exist, else the service is skipped. */
  requires?: string[];
  /** Added on top of the inherited environment. */
  env?: Record<string, string>;
}

// `node --import tsx` instead of the tsx CLI: the CLI would put a second process between us and
// the server, so signals and /proc CPU figures would land on the wrong PID.
function tsService(name: string, entry: string, nodeFlags: string[] = []): ServiceSpec {
  return {
    name,
    command: process.execPath,
    args: [...nodeFlags, '--import', 'tsx', entry],
    requires: [entry],
  };
}

/**
 * V8 flags of every api launch (npm start, `npm run start:api[:prod]`, the bench): a 64 MB young
 * generation semi-space. The hot reads allocate ~0.3 MB per 500-row answer; with V8's default
 * (16 MB) the scavenges, partly on V8's helper threads, cost initialize ~25 % of its CPU
 * (docs/performance.md, hot reads). scripts/api-node-flags.test.ts keeps the launches in step.
 */
export const API_NODE_FLAGS = ['--max-semi-space-size=64'];

/**
 * PROCESS_NICE of each process the launchers start on one box, by the slack of its latency
 * budget: ingest acknowledges within 5 ms (p95) and keeps the default priority, the player api
 * answers within 15 ms (+5), the worker makes an event visible within 250 ms (+10). A process
 * serving both api and ingest (ROLE=all) keeps the default. Measured in docs/performance.md
 * ("Priorities on one box"); docs/operations.md has it for other deployments.
 */
export const PROCESS_NICE = { api: '5', worker: '10' } as const;

/**
 * What `npm start` runs; one line per process of the architecture (docs/contributing.md). An
 * operator's own PROCESS_NICE (in `env`, the environment npm start inherits) is every process's,
 * the worker's included; without one the worker runs at PROCESS_NICE.worker.
 */
export function defaultServices(env: NodeJS.ProcessEnv): ServiceSpec[] {
  const web = tsService('web', 'apps/web/server.ts');
  const worker = tsService('worker', 'apps/worker/src/main.ts');
  return [
    tsService('api', 'apps/api/src/main.ts', API_NODE_FLAGS),
    env.PROCESS_NICE === undefined
      ? { ...worker, env: { PROCESS_NICE: PROCESS_NICE.worker } }
      : worker,
    // The dashboard's own server (Next's handler; it passes the client's address to the api).
    // It reads WEB_PORT itself and turns Next's telemetry off. It needs a production build, so
    // the service waits for one instead of crash-looping.
    { ...web, requires: [...(web.requires ?? []), 'apps/web/.next/BUILD_ID'] },
  ];
}

export interface ServiceSelection {
  runnable: ServiceSpec[];
  skipped: { name: string; missing: string }[];
}

export function selectRunnable(services: ServiceSpec[], cwd: string): ServiceSelection {
  const selection: ServiceSelection = { runnable: [], skipped: [] };
  for (const service of services) {
    const missing = (service.requires ?? []).find((file) => !existsSync(path.resolve(cwd, file)));
    if (missing === undefined) selection.runnable.push(service);
    else selection.skipped.push({ name: service.name, missing });
  }
  return selection;
}

/**
 * Reads a replacement service table (`START_SERVICES_FILE`), used by tests and by anyone who wants
 * to run a different set of processes without editing this file.
 */
export function loadServicesFile(file: string): ServiceSpec[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const list = Array.isArray(parsed) ? parsed : (parsed as { services?: unknown }).services;
  if (!Array.isArray(list)) throw new Error(`${file}: expected an array of services`);
  return list.map((entry, i) => {
    const s = entry as Partial<ServiceSpec>;
    if (typeof s.name !== 'string' || !Array.isArray(s.args)) {
      throw new Error(`${file}: service #${i} needs a name and an args array`);
    }
    return {
      name: s.name,
      command: typeof s.command === 'string' ? s.command : process.execPath,
      args: s.args.map(String),
      ...(s.requires ? { requires: s.requires.map(String) } : {}),
      ...(s.env ? { env: s.env } : {}),
    };
  });
}
