import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  setProgress,
  startTestApi,
  TEST_INGEST_KEY,
  type TestApi,
} from '../../testing/test-api.ts';
import { buildOpenApiDocument } from './openapi-document.ts';

/** Not the default, so a path that ignores BASE_PATH shows. */
const BASE = '/games/challenge';
const ADMIN_KEY = 'openapi-admin-api-key-0123456789abcdef';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ BASE_PATH: BASE, ADMIN_API_KEY: ADMIN_KEY, QA_CLOCK: 'enabled' });
});
afterAll(async () => t?.close());

describe('the served OpenAPI document', () => {
  it('is served at {BASE_PATH}/openapi.json without credentials', async () => {
    const res = await t.call('GET', `${BASE}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.body).toEqual(buildOpenApiDocument({ basePath: BASE }));
    expect(Object.keys(res.body.paths)).toContain(`${BASE}/v1/challenges`);
  });

  it('is rendered at {BASE_PATH}/docs from the page itself, loading nothing', async () => {
    const res = await t.call('GET', `${BASE}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const embedded = /<script id="openapi-document" type="application\/json">(.*?)<\/script>/s;
    expect(JSON.parse(res.text.match(embedded)?.[1] ?? 'null')).toEqual(
      buildOpenApiDocument({ basePath: BASE }),
    );
    expect(res.text).not.toMatch(/\b(src|href)="(https?:)?\/\//);
  });

  it('describes exactly the REST routes the server registered', () => {
    const served = t.api.app
      .routeList()
      .filter((r) => !r.endsWith(' /trpc/:path'))
      .map((r) => r.replace(/:(\w+)/g, '{$1}'));
    const documented = Object.entries(
      buildOpenApiDocument({ basePath: BASE }).paths as object,
    ).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    expect([...new Set(served)].sort()).toEqual(documented.sort());
  });
});

describe('answers match the document', () => {
  const doc = buildOpenApiDocument({ basePath: BASE }) as any;
  // The component schemas ride along so `#/components/schemas/…` resolves from each response.
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  const conforms = (method: string, path: string, status: number, body: unknown) => {
    const response = doc.paths[path][method].responses[status];
    if (!response) return [`${status} is not documented`];
    const schema = { ...response.content['application/json'].schema, components: doc.components };
    const validate = ajv.compile(schema);
    return validate(body)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
  const player = 'openapi-player';
  const admin = { authorization: `Bearer ${ADMIN_KEY}` };

  const calls: [string, string, string, { body?: unknown; headers?: object; user?: string }][] = [
    ['post', '/v1/challenges/initialize', '/v1/challenges/initialize', {}],
    ['get', '/v1/challenges', '/v1/challenges', {}],
    [
      'put',
      '/v1/challenges/{challengeId}/goals/{goalId}/active',
      '/v1/challenges/pool/goals/pool-1/active',
      { body: { isActive: true } },
    ],
    [
      'post',
      '/v1/challenges/{challengeId}/goals/batch-select',
      '/v1/challenges/pool/goals/batch-select',
      { body: { goalIds: ['pool-2'], replaceExisting: true } },
    ],
    [
      'post',
      '/v1/challenges/{challengeId}/goals/random-select',
      '/v1/challenges/pool/goals/random-select',
      { body: { count: 2 } },
    ],
    ['get', '/v1/challenges/{challengeId}/rotation', '/v1/challenges/daily/rotation', {}],
    ['get', '/v1/challenges/{challengeId}/rotation', '/v1/challenges/season/rotation', {}],
    [
      'post',
      '/v1/challenges/{challengeId}/goals/{goalId}/claim',
      '/v1/challenges/season/goals/tutorial/claim',
      {},
    ],
    [
      'post',
      '/v1/challenges/{challengeId}/goals/{goalId}/claim',
      '/v1/challenges/season/goals/tutorial/claim',
      {},
    ],
    [
      'post',
      '/v1/challenges/{challengeId}/goals/{goalId}/claim',
      '/v1/challenges/season/goals/nope/claim',
      {},
    ],
    ['get', '/v1/challenges', '/v1/challenges', { user: '' }],
    ['delete', '/v1/users/me/data', '/v1/users/me/data', {}],
    [
      'post',
      '/v1/events',
      '/v1/events',
      {
        body: { events: [{ id: 'e1', type: 'login', userId: player, namespace: 'other-game' }] },
        headers: { 'x-api-key': TEST_INGEST_KEY },
      },
    ],
    [
      'post',
      '/v1/events',
      '/v1/events',
      { body: { events: [] }, headers: { 'x-api-key': TEST_INGEST_KEY } },
    ],
    [
      'put',
      '/v1/players/{id}/attributes',
      `/v1/players/${player}/attributes`,
      {
        body: { attributes: { country: 'DE', level: 3 } },
        headers: { 'x-api-key': TEST_INGEST_KEY },
      },
    ],
    [
      'put',
      '/v1/players/{id}/attributes',
      `/v1/players/${player}/attributes`,
      { body: { attributes: { country: ['DE'] } }, headers: { 'x-api-key': TEST_INGEST_KEY } },
    ],
    ['get', '/admin/v1/clock', '/admin/v1/clock', { headers: admin }],
    ['post', '/admin/v1/clock', '/admin/v1/clock', { body: { offsetSeconds: 0 }, headers: admin }],
    ['get', '/healthz', '/healthz', {}],
  ];

  it('for the player, ingest and admin calls, successes and refusals alike', async () => {
    const seen: string[] = [];
    for (const [method, template, path, options] of calls) {
      if (path.endsWith('/tutorial/claim') && !seen.includes('tutorial')) {
        await setProgress(t, player, 'tutorial', { progress: 1, status: 'completed' });
        seen.push('tutorial');
      }
      const res = await t.call(method.toUpperCase(), `${BASE}${path}`, {
        user: options.user ?? (options.headers ? undefined : player),
        body: options.body,
        headers: options.headers as Record<string, string> | undefined,
      });
      const where = `${method} ${path} → ${res.status}`;
      expect(conforms(method, `${BASE}${template}`, res.status, res.body), where).toEqual([]);
      seen.push(`${res.status}`);
    }
    // Successes, a conflict, a not-found, an unauthenticated and an invalid batch were checked.
    expect(seen).toEqual(expect.arrayContaining(['200', '202', '409', '404', '401', '400']));
  });

  it('would report an undocumented or mistyped field', () => {
    const path = `${BASE}/v1/users/me/data`;
    expect(conforms('delete', path, 200, { deletedRows: 1 })).toEqual([]);
    expect(conforms('delete', path, 200, { deletedRows: '1', extra: true })).toEqual([
      ' must NOT have additional properties',
      '/deletedRows must be integer',
    ]);
  });
});
