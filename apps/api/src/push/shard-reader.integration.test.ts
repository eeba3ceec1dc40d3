import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../testing/definitions-fixtures.ts';
import { startToggleProxy, type ToggleProxy } from '../testing/toggle-proxy.ts';
import { startShardReader } from './shard-reader.ts';

// The reader's blocking XREAD waits through a Redis outage (maxRetriesPerRequest: null). ioredis
// 6.0.0's disconnect() between two reconnect attempts cancels the next attempt but settles none
// of the queued commands: close() must not wait for that read (an api's afterAll hung 60 s on it).
describe('push shard reader', () => {
  let proxy: ToggleProxy | undefined;
  let reader: Redis | undefined;

  afterAll(async () => {
    reader?.disconnect();
    await proxy?.close();
  });

  it('stops at once while its connection waits to reconnect to an unreachable Redis', async () => {
    proxy = await startToggleProxy({ host: '127.0.0.1', port: 6379 });
    reader = new Redis(proxy.url('redis://127.0.0.1:6379'), { maxRetriesPerRequest: null });
    const client = reader;
    client.on('error', () => {});
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const shardReader = await startShardReader({
      redis: client,
      prefix: `shard-reader-${randomUUID()}`,
      log,
      onEntry: () => {},
      blockMs: 60_000,
    });
    expect(client.status).toBe('ready');

    proxy.down();
    // Its XREAD is queued again, for the connection that ioredis retries on a timer.
    await pollUntil(async () => client.status === 'reconnecting', 5_000, 1);
    const started = performance.now();
    const closed = shardReader.close().then(() => performance.now() - started);
    // Infinity: still closing after 5 s.
    const closedInMs = await Promise.race([
      closed,
      new Promise<number>((resolve) => setTimeout(resolve, 5_000, Number.POSITIVE_INFINITY)),
    ]);
    expect(closedInMs).toBeLessThan(2_000);
    expect(lines.map((line) => line.msg)).toContain(
      'push: shard reader stopped with a read pending on an unreachable Redis (dropped)',
    );
  });
});
