import { createConnection, createServer } from 'node:net';
import path from 'node:path';
import { redactUrl } from '@challenges/db/database-url';
import { startLocalPostgres } from './local-postgres.ts';
import { startLocalRedis } from './local-redis.ts';

/** Where the services look when DATABASE_URL / REDIS_URL are unset (docs/operations.md). */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** A server npm start runs itself. */
export interface LocalServer {
  url: string;
  stop(): Promise<void>;
}

export interface LocalServices {
  /** DATABASE_URL / REDIS_URL for the services, when npm start chose them. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export interface LocalServicesOptions {
  env: NodeJS.ProcessEnv;
  /** `.data` of the checkout: `postgres/` and `redis/` go under it. */
  dataDir: string;
  /** The URLs probed when the variables are unset (tests point them at dead ports). */
  defaults: { databaseUrl: string; redisUrl: string };
  log: (line: string) => void;
}

const unset = (value: string | undefined) => value === undefined || value.trim() === '';

/** True when something accepts a TCP connection at the URL's host and port within 1 s. */
export function answers(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || defaultPort) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A port no one listens on right now, from the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * What `npm start` needs installed first: nothing. For DATABASE_URL and REDIS_URL left unset,
 * a server answering on the default address is used; when none answers, npm start runs its own
 * (embedded PostgreSQL, redis-server from PATH) with data under `dataDir`, and stops them with
 * the stack. A variable the user set is never second-guessed: the services report it.
 */
export async function provideLocalServices(options: LocalServicesOptions): Promise<LocalServices> {
  const { env, log, defaults } = options;
  const started: LocalServer[] = [];
  const stop = async () => {
    await Promise.allSettled(started.splice(0).map((server) => server.stop()));
  };
  const added: Record<string, string> = {};
  // A production-like run brings its own servers.
  if (env.NODE_ENV === 'production') return { env: added, stop };
  try {
    if (unset(env.DATABASE_URL)) {
      added.DATABASE_URL = (await answers(defaults.databaseUrl, 5432))
        ? defaults.databaseUrl
        : await own(started, 'PostgreSQL', defaults.databaseUrl, log, async (port) =>
            startLocalPostgres({ dataDir: path.join(options.dataDir, 'postgres'), port, log }),
          );
    }
    if (unset(env.REDIS_URL)) {
      added.REDIS_URL = (await answers(defaults.redisUrl, 6379))
        ? defaults.redisUrl
        : await own(started, 'Redis', defaults.redisUrl, log, async (port) =>
            startLocalRedis({ dataDir: path.join(options.dataDir, 'redis'), port, log }),
          );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { env: added, stop };
}

async function own(
  started: LocalServer[],
  what: string,
  probed: string,
  log: (line: string) => void,
  start: (port: number) => Promise<LocalServer>,
): Promise<string> {
  log(`${what}: nothing answers at ${redactUrl(probed)}; starting one for this stack`);
  const server = await start(await freePort());
  started.push(server);
  return server.url;
}
