// What one push announcement costs the api process (docs/performance.md, hot reads, fifth pass):
// the publisher's script call (a player's own write, e.g. an initialize that assigned goals) and
// the shard reader's wake-up for the entry (every replica reads every shard, docs/push.md), in
// one process on the machine's Redis, measured with process.cpuUsage. Alternates rounds with
// and without the reader; prints CPU-µs per announcement.
//
//   node --import tsx bench/push-announce-cost.ts [--n 3000] [--rounds 3]
import { parseArgs } from 'node:util';
import { createPushPublisher, createRedis } from '@challenges/runtime';
import pino from 'pino';
import { startShardReader } from '../apps/api/src/push/shard-reader.ts';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '3000' }, rounds: { type: 'string', default: '3' } },
});
const n = Number(values.n);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `bench-push-cost-${process.pid}`;
const env = { REDIS_URL: redisUrl, REDIS_CLUSTER_NODES: [] };
const redis = createRedis(env);
const publisher = createPushPublisher({ redis, prefix });
const log = pino({ level: 'silent' });

async function round(withReader: boolean): Promise<number> {
  let seen = 0;
  let wake = () => {};
  const reader = withReader
    ? await startShardReader({
        redis: createRedis(env, { maxRetriesPerRequest: null }),
        prefix,
        log,
        onEntry: () => {
          seen++;
          wake();
        },
      })
    : undefined;
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await publisher.changed([`player-${i % 1000}`]);
  // The reader has handled every entry before the clock stops.
  if (reader) {
    await new Promise<void>((resolve) => {
      wake = () => {
        if (seen >= n) resolve();
      };
      wake();
    });
  }
  const t = process.cpuUsage(t0);
  await reader?.close();
  return (t.user + t.system) / n;
}

try {
  for (let r = 0; r < Number(values.rounds); r++) {
    const order = r % 2 === 0 ? [false, true] : [true, false];
    const out: string[] = [];
    for (const withReader of order) {
      const us = await round(withReader);
      out.push(`${withReader ? 'publish + reader' : 'publish only'} ${us.toFixed(1)} µs`);
    }
    console.log(`round ${r + 1}: ${out.join(', ')}`);
  }
} finally {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}
