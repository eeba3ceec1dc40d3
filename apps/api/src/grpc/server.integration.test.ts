import {
  type Client,
  credentials,
  loadPackageDefinition,
  type ServiceClientConstructor,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playerToken } from '../testing/player-tokens.ts';
import { startTestApi, type TestApi } from '../testing/test-api.ts';
import { type IndependentClient, independentClient } from './testing/independent-client.ts';
import { reflectionClient } from './testing/reflection-client.ts';

const SECRET = 'grpc-test-secret-0123456789abcdef';
let t: TestApi;
let client: IndependentClient;

beforeAll(async () => {
  // The rate limiter's clock is pinned mid-minute: the five calls never straddle a window.
  const midMinute = Date.UTC(2030, 0, 1, 12, 0, 30);
  t = await startTestApi(
    { AUTH_MODE: 'jwt', JWT_SECRET: SECRET, RATE_LIMIT_PER_MIN: '4' },
    { rateLimitNow: () => midMinute },
  );
  client = independentClient(t.grpcAddress);
});
afterAll(async () => {
  client?.close();
  await t?.close();
});

function clientOf(protoFile: string, path: string[]): Client & Record<string, any> {
  let node: any = loadPackageDefinition(loadSync(protoFile, { keepCase: true, enums: String }));
  for (const part of path) node = node[part];
  return new (node as ServiceClientConstructor)(t.grpcAddress, credentials.createInsecure());
}

const token = (sub: string, secret = SECRET, expires = true) =>
  playerToken(sub, { secret, expiresIn: expires ? '10m' : null });

describe('player gRPC server', () => {
  it('JWT mode: a valid bearer token is the player; anything else is UNAUTHENTICATED', async () => {
    const bearer = `Bearer ${await token('jwt-player')}`;
    const ok = await client.call('InitializePlayer', {}, { authorization: bearer });
    expect(ok).toMatchObject({ ok: true, value: { newAssignments: expect.any(Number) } });
    const rows = await t.api.ctx.progress.listByUser('jwt-player');
    expect(rows.length).toBe(ok.ok ? ok.value.newAssignments : -1);

    const forged = `Bearer ${await token('jwt-player', 'another-secret-0123456789abcdef')}`;
    // A token that never expires would be a player's key for ever once leaked.
    const eternal = `Bearer ${await token('jwt-player', SECRET, false)}`;
    for (const auth of [
      { authorization: forged },
      { authorization: eternal },
      { authorization: 'Bearer x' },
      { user: 'p' },
    ]) {
      const answer = await client.call('GetUserChallenges', {}, auth);
      expect(answer, JSON.stringify(auth)).toMatchObject({ ok: false, code: 16 });
    }
  });

  it('REST and gRPC share one per-player rate limit', async () => {
    const bearer = `Bearer ${await token('limited')}`;
    const rest = () =>
      t.call('GET', '/challenge/v1/challenges', { headers: { authorization: bearer } });
    const grpc = () => client.call('GetUserChallenges', {}, { authorization: bearer });
    expect((await rest()).status).toBe(200);
    expect((await grpc()).ok).toBe(true);
    expect((await rest()).status).toBe(200);
    expect((await grpc()).ok).toBe(true);
    // The fifth call of the minute, whichever edge, is over the limit of 4.
    expect(await grpc()).toMatchObject({ ok: false, code: 8, errorCode: 'RATE_LIMITED' });
    expect((await rest()).body).toMatchObject({ code: 8, errorCode: 'RATE_LIMITED' });
  });

  it('counts each call in challenge_grpc_request_duration_seconds by method and code', async () => {
    const count = async (labels: string) => {
      const text = await t.api.metrics.registry.metrics();
      const line = text
        .split('\n')
        .find((l) => l.startsWith(`challenge_grpc_request_duration_seconds_count{${labels}}`));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const labels = 'method="GetRotationStatus",code="UNAUTHENTICATED"';
    const before = await count(labels);
    await client.call('GetRotationStatus', { challengeId: 'daily' });
    await client.call('GetRotationStatus', { challengeId: 'daily' });
    expect(await count(labels)).toBe(before + 2);
    const bearer = `Bearer ${await token('metrics-player')}`;
    await client.call('GetRotationStatus', { challengeId: 'daily' }, { authorization: bearer });
    expect(await count('method="GetRotationStatus",code="OK"')).toBeGreaterThanOrEqual(1);
  });

  it('grpc.health.v1 reports the player service SERVING and unknown services NOT_FOUND', async () => {
    const health = clientOf(healthProtoPath, ['grpc', 'health', 'v1', 'Health']);
    const check = (service: string) =>
      new Promise<{ status?: string; code?: number }>((resolve) =>
        health.Check({ service }, (error: any, value: any) =>
          resolve(error ? { code: error.code } : value),
        ),
      );
    try {
      expect(await check('')).toEqual({ status: 'SERVING' });
      expect(await check('service.Service')).toEqual({ status: 'SERVING' });
      expect(await check('nope.Service')).toEqual({ code: 5 });
    } finally {
      health.close();
    }
  });

  it('server reflection (on outside production) lists the services and describes them', async () => {
    const reflection = reflectionClient(t.grpcAddress);
    try {
      const listed = await reflection.ask({ list_services: '' });
      const names = listed.list_services_response.service.map((s: { name: string }) => s.name);
      expect(names).toEqual(expect.arrayContaining(['service.Service', 'grpc.health.v1.Health']));
      const file = await reflection.ask({ file_containing_symbol: 'service.Service' });
      const descriptor = Buffer.concat(file.file_descriptor_response.file_descriptor_proto);
      expect(descriptor.toString('latin1')).toContain('GetUserChallenges');
    } finally {
      reflection.close();
    }
  });
});
