import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../apps/api/src/auth/player-auth.ts';
import { parseEnv } from '../../../apps/api/src/env.ts';
import { PlayerApi } from './target.ts';

const SECRET = 'loadtest-jwt-secret-0123456789abcdef';

describe('--jwt-secret player tokens', () => {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers.authorization ?? '');
    res.end('{}');
  });
  let target: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('are accepted by the api, which requires exp and sub', async () => {
    const api = new PlayerApi(target, '/challenge', SECRET, 1);
    await api.prepareUsers(['lt-user-1']);
    await api.call('GET', '/v1/challenges', 'lt-user-1');
    await api.close();
    const auth = await createAuthenticator(parseEnv({ JWT_SECRET: SECRET }));
    await expect(auth.authenticate({ authorization: seen[0] })).resolves.toBe('lt-user-1');
  });
});
