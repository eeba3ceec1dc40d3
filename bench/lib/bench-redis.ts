import { freePort, startDaemon } from '@challenges/runtime';
import { Redis } from 'ioredis';

/**
 * A redis-server of one bench alone (its command counts are the bench's target's only) and a
 * probe connection to it. `commandCalls` reads INFO commandstats since the last
 * `probe.config('RESETSTAT')`, without the probe's own INFO/CONFIG calls.
 */
export async function startBenchRedis(prefix: string) {
  const port = await freePort();
  // biome-ignore format: one setting per line
  const server = startDaemon({
    command: 'redis-server',
    prefix,
    args: (dir) => ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
  });
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { retryStrategy: (n) => (n > 50 ? null : 100) });
  // Refused until the server listens: the retries are the wait for it.
  probe.on('error', () => {});
  return {
    url,
    server,
    probe,
    async commandCalls(): Promise<Map<string, number>> {
      const calls = new Map<string, number>();
      for (const [, name, n] of (await probe.info('commandstats')).matchAll(
        /^cmdstat_([^:]+):calls=(\d+)/gm,
      )) {
        if (name !== 'info' && !name!.startsWith('config')) calls.set(name!, Number(n));
      }
      return calls;
    },
    async stop(): Promise<void> {
      probe.disconnect();
      await server.stop('SIGKILL');
    },
  };
}
