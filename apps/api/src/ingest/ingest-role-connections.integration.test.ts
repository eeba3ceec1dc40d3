import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/test-api.ts';

/** CLIENT LIST entries as field maps, only the connections carrying `name`. */
async function connectionsNamed(redis: Redis, name: string): Promise<Map<string, string>[]> {
  const list = (await redis.client('LIST')) as string;
  return list
    .split('\n')
    .filter(Boolean)
    .map((line) => new Map(line.split(' ').map((field) => field.split('=', 2) as [string, string])))
    .filter((fields) => fields.get('name') === name);
}

describe('ROLE=ingest', () => {
  // Every client the api opens from REDIS_URL (and their duplicates) carries this name.
  const name = `ingest-role-${randomUUID()}`;
  const probe = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
  let t: TestApi;

  beforeAll(async () => {
    t = await startTestApi({
      ROLE: 'ingest',
      REDIS_URL: `redis://127.0.0.1:6379/0?connectionName=${name}`,
    });
  });
  afterAll(async () => {
    await t?.close();
    probe.disconnect();
  });

  it('opens only the Redis connections it uses: no webhook-subscriptions subscriber', async () => {
    // The profile listener's BLPOP connection is the last to come up.
    await expect
      .poll(async () => (await connectionsNamed(probe, name)).some((c) => c.get('flags') === 'b'))
      .toBe(true);
    const connections = await connectionsNamed(probe, name);
    // Commands, the ingest producer, the profile listener and the definitions' hot-reload
    // subscriber: the only one in subscriber mode.
    expect(connections.filter((c) => c.get('sub') !== '0')).toHaveLength(1);
    expect(connections).toHaveLength(4);
  });
});
