import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBeforeMigration, type TestDatabase } from '../testing/index.ts';
import { migrate } from './migrator.ts';

// The migration that encodes ':' and '%' in reward keys, run over grants the first key format
// wrote (`user:goal:period`, unencoded).
const MIGRATION = '20261202120100_reward_grant_erasure';
const ISO = '2026-03-01T00:00:00.000Z';
let db: TestDatabase;
let client: pg.Client;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ db, client, close } = await databaseBeforeMigration(MIGRATION));
});
afterAll(async () => close?.());

async function legacyGrant(
  userId: string,
  goalId: string,
  period: string,
  status: string,
  attempts: number,
) {
  const key = `${userId}:${goalId}:${period}`;
  await client.query(
    `INSERT INTO reward_grants (idempotency_key, user_id, goal_id, challenge_id, reward_type,
       reward_id, quantity, provider, status, attempts)
     VALUES ($1, $2, $3, 'c', 'ITEM', 'sword', 1, 'mock', $4, $5)`,
    [key, userId, goalId, status, attempts],
  );
  await client.query(
    `INSERT INTO mock_reward_receipts (idempotency_key, user_id, reward_type, reward_id, quantity)
     VALUES ($1, $2, 'ITEM', 'sword', 1)`,
    [key, userId],
  );
}

describe(`migration ${MIGRATION}`, () => {
  it('rewrites the keys of ids with ":" or "%" that no provider holds for a pending delivery', async () => {
    await legacyGrant('plain', 'g', 'once', 'granted', 1);
    await legacyGrant('a:b', 'c', 'once', 'granted', 1);
    await legacyGrant('p%q', 'g:1', ISO, 'pending', 0);
    await legacyGrant('x:y', 'g', 'once', 'pending', 2);
    await legacyGrant('x:y', 'h', 'once', 'failed', 8);
    // `m%3An` keeps its key (attempted, pending): `m:n`'s new key would take it.
    await legacyGrant('m%3An', 'g', 'once', 'pending', 1);
    await legacyGrant('m:n', 'g', 'once', 'granted', 1);

    await migrate({ databaseUrl: db.url });

    const grants = await client.query(
      'SELECT user_id, goal_id, idempotency_key, claimed_at, erased_at FROM reward_grants ORDER BY id',
    );
    expect(grants.rows.map((g) => [g.user_id, g.goal_id, g.idempotency_key])).toEqual([
      ['plain', 'g', 'plain:g:once'],
      ['a:b', 'c', 'a%3Ab:c:once'],
      ['p%q', 'g:1', `p%25q:g%3A1:${ISO}`],
      ['x:y', 'g', 'x:y:g:once'],
      ['x:y', 'h', 'x:y:h:once'],
      ['m%3An', 'g', 'm%3An:g:once'],
      ['m:n', 'g', 'm:n:g:once'],
    ]);
    expect(grants.rows.every((g) => g.claimed_at === null && g.erased_at === null)).toBe(true);
    const receipts = await client.query(
      'SELECT idempotency_key FROM mock_reward_receipts ORDER BY id',
    );
    expect(receipts.rows.map((r) => r.idempotency_key)).toEqual(
      grants.rows.map((g) => g.idempotency_key),
    );
  });
});
