import { type Daemon, freePort, startDaemon } from '@challenges/runtime';
import { Redis } from 'ioredis';
import { pollUntil } from './definitions-fixtures.ts';

/**
 * A `redis-server` of the test's own (no persistence, a free port), for outages the shared
 * server must not have: a test kills it, freezes it (SIGSTOP) or starts it again on its port.
 */
export interface OwnRedis {
  url: string;
  start(): Promise<void>;
  kill(): Promise<void>;
  /** The process stops answering but keeps its connections open, as a stalled server does. */
  freeze(): void;
  thaw(): void;
}

export async function ownRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let server: Daemon | undefined;
  const answers = async () => {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  };
  const own: OwnRedis = {
    url,
    async start() {
      if (server?.running()) return;
      server = startDaemon({
        command: 'redis-server',
        prefix: 'own-redis-',
        // biome-ignore format: one setting per line
        args: (dir) => [
          '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
          '--save', '', '--appendonly', 'no',
        ],
      });
      await pollUntil(answers, 10_000, 20);
    },
    async kill() {
      const running = server;
      server = undefined;
      await running?.stop('SIGKILL');
    },
    freeze: () => server?.child.kill('SIGSTOP'),
    thaw: () => server?.child.kill('SIGCONT'),
  };
  await own.start();
  return own;
}
