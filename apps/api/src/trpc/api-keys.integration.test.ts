import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/test-api.ts';
import { outcome, signedIn, type TrpcTestClient } from '../testing/trpc-client.ts';

const EVENT = { events: [{ id: 'e-1', type: 'login', userId: 'key-player' }] };

describe('ingest API keys created in the dashboard', () => {
  let t: TestApi;
  let admin: TrpcTestClient;
  let db: pg.Client;

  const postEvents = (key: string) =>
    t.call('POST', '/challenge/v1/events', { body: EVENT, headers: { 'x-api-key': key } });

  beforeAll(async () => {
    t = await startTestApi({
      ADMIN_EMAIL: 'keys@example.com',
      ADMIN_PASSWORD: 'keys-password',
      INGEST_API_KEYS: 'env-key-1',
    });
    admin = (await signedIn(t, 'keys@example.com', 'keys-password')).client;
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  it('a created key is accepted by POST /v1/events until it is revoked', async () => {
    expect((await postEvents('chk_not-a-key')).status).toBe(401);
    const { apiKey, key } = await admin.apiKey.create.mutate({ name: 'game server EU' });
    expect(key).toMatch(/^chk_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({
      name: 'game server EU',
      prefix: key.slice(0, 12),
      createdBy: 'keys@example.com',
      revokedAt: '',
    });
    expect((await postEvents(key)).status).toBe(202);

    const revoked = await admin.apiKey.revoke.mutate({ id: apiKey.id });
    expect(revoked.revokedAt).not.toBe('');
    const refused = await postEvents(key);
    expect(refused.status).toBe(401);
    expect(refused.body.errorCode).toBe('UNAUTHENTICATED');
    // Keys from INGEST_API_KEYS keep working beside the dashboard's.
    expect((await postEvents('env-key-1')).status).toBe(202);
  });

  it('stores only a hash: the plaintext is shown once and is nowhere in the database', async () => {
    const { apiKey, key } = await admin.apiKey.create.mutate({ name: 'hash check' });
    const { rows } = await db.query('SELECT * FROM ingest_api_keys WHERE id = $1', [apiKey.id]);
    expect(JSON.stringify(rows)).not.toContain(key);
    expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
    const listed = await admin.apiKey.list.query();
    expect(listed.find((k) => k.id === apiKey.id)).toEqual(apiKey);
    expect(JSON.stringify(listed)).not.toContain(key);
  });

  it('revoking an unknown key is NOT_FOUND; a non-uuid id is BAD_REQUEST', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(await outcome(admin.apiKey.revoke.mutate({ id: missing }))).toBe('NOT_FOUND');
    expect(await outcome(admin.apiKey.revoke.mutate({ id: 'x' }))).toBe('BAD_REQUEST');
  });
});
