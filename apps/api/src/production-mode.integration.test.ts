import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reflectionClient } from './grpc/testing/reflection-client.ts';
import { PRODUCTION_ENV } from './testing/production-env.ts';
import { startTestApi, type TestApi } from './testing/test-api.ts';
import { signedIn, type TrpcTestClient } from './testing/trpc-client.ts';

const ADMIN = { ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'admin-password' };
const RUN = { scenario: 'list', rps: 10, eps: 0, durationSeconds: 5, users: 10 } as const;

async function reflectionAnswer(t: TestApi): Promise<{ services: string[] } | { code: number }> {
  const reflection = reflectionClient(t.grpcAddress);
  try {
    const listed = await reflection.ask({ list_services: '' });
    return { services: listed.list_services_response.service.map((s: any) => s.name) };
  } catch (error) {
    return { code: (error as { code: number }).code };
  } finally {
    reflection.close();
  }
}

async function startAnswer(admin: TrpcTestClient) {
  try {
    return { ok: true, id: (await admin.loadtest.start.mutate(RUN)).id };
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    return {
      ok: false,
      code: error.data?.code,
      errorCode: error.data?.errorCode,
      message: error.message,
    };
  }
}

describe('an api started with NODE_ENV=production', () => {
  let t: TestApi;
  let admin: TrpcTestClient;
  beforeAll(async () => {
    t = await startTestApi({ ...PRODUCTION_ENV, ...ADMIN });
    admin = (await signedIn(t, ADMIN.ADMIN_EMAIL, ADMIN.ADMIN_PASSWORD)).client;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has no gRPC server reflection (UNIMPLEMENTED)', async () => {
    expect(await reflectionAnswer(t)).toEqual({ code: 12 });
  });

  it('refuses a dashboard-started load test, saying how to allow it', async () => {
    expect(await startAnswer(admin)).toEqual({
      ok: false,
      code: 'FORBIDDEN',
      errorCode: 'PERMISSION_DENIED',
      message: expect.stringContaining('LOADTEST_DASHBOARD=enabled'),
    });
    expect(await admin.loadtest.list.query({ limit: 5 })).toEqual([]);
  });
});

describe('production with GRPC_REFLECTION and LOADTEST_DASHBOARD enabled', () => {
  let t: TestApi;
  let admin: TrpcTestClient;
  beforeAll(async () => {
    t = await startTestApi({
      ...PRODUCTION_ENV,
      ...ADMIN,
      GRPC_REFLECTION: 'enabled',
      LOADTEST_DASHBOARD: 'enabled',
    });
    admin = (await signedIn(t, ADMIN.ADMIN_EMAIL, ADMIN.ADMIN_PASSWORD)).client;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves reflection and starts load tests', async () => {
    expect(await reflectionAnswer(t)).toEqual({
      services: expect.arrayContaining(['service.Service']),
    });
    const started = await startAnswer(admin);
    expect(started).toMatchObject({ ok: true });
    await admin.loadtest.cancel.mutate({ id: (started as { id: string }).id });
  });
});
