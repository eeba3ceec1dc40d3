import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setProgress, startTestApi, type TestApi } from '../testing/test-api.ts';

/** The original service's API description: our JSON must keep its field names and types. */
const swagger = JSON.parse(
  readFileSync(
    new URL('../../../../fixtures/reference/original-service.swagger.json', import.meta.url),
    'utf8',
  ),
);

/** Fields we add on top of the original's shapes (additive, documented in docs/api.md). */
const EXTRA_FIELDS: Record<string, string[]> = {
  serviceClaimRewardResponse: ['delivery'],
  serviceRotationInfo: ['timezone'],
};

type Schema = {
  type?: string;
  format?: string;
  $ref?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
};

function definition(ref: string): Schema {
  return swagger.definitions[ref.replace('#/definitions/', '')];
}

/** Every problem of `value` against the schema named `name`, as "path: problem" lines. */
function problems(value: unknown, schema: Schema, path: string, name?: string): string[] {
  if (schema.$ref) {
    const refName = schema.$ref.replace('#/definitions/', '');
    if (value === null) return []; // unset message fields (disabled rotation periods)
    return problems(value, definition(schema.$ref), path, refName);
  }
  if (schema.properties) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return [`${path}: not an object`];
    const out: string[] = [];
    const record = value as Record<string, unknown>;
    for (const [key, sub] of Object.entries(schema.properties)) {
      if (!(key in record)) out.push(`${path}.${key}: missing`);
      else out.push(...problems(record[key], sub, `${path}.${key}`));
    }
    const extras = EXTRA_FIELDS[name ?? ''] ?? [];
    for (const key of Object.keys(record)) {
      if (!(key in schema.properties) && !extras.includes(key))
        out.push(`${path}.${key}: not in the original`);
    }
    return out;
  }
  switch (schema.type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${path}: not a string`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: not a boolean`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: not an integer`];
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((v, i) => problems(v, schema.items ?? {}, `${path}[${i}]`))
        : [`${path}: not an array`];
    default:
      return [];
  }
}

function responseSchema(method: string, path: string): Schema {
  return swagger.paths[path][method].responses['200'].schema;
}

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => t?.close());

describe('responses keep the original service’s field names and JSON types', () => {
  it('checks its own checker', () => {
    const schema = responseSchema('get', '/healthz');
    expect(problems({ status: 'healthy' }, schema, '$')).toEqual([]);
    expect(problems({ status: 1, extra: true }, schema, '$')).toEqual([
      '$.status: not a string',
      '$.extra: not in the original',
    ]);
  });

  it('every player call', async () => {
    const user = 'shapes';
    const calls: [string, string, string, unknown?][] = [
      ['post', '/v1/challenges/initialize', '/v1/challenges/initialize'],
      ['get', '/v1/challenges', '/v1/challenges'],
      [
        'put',
        '/v1/challenges/{challengeId}/goals/{goalId}/active',
        '/v1/challenges/pool/goals/pool-1/active',
        { isActive: true },
      ],
      [
        'post',
        '/v1/challenges/{challengeId}/goals/batch-select',
        '/v1/challenges/pool/goals/batch-select',
        { goalIds: ['pool-2'] },
      ],
      [
        'post',
        '/v1/challenges/{challengeId}/goals/random-select',
        '/v1/challenges/pool/goals/random-select',
        { count: 2 },
      ],
      ['get', '/v1/challenges/{challengeId}/rotation', '/v1/challenges/daily/rotation'],
      ['get', '/v1/challenges/{challengeId}/rotation', '/v1/challenges/pool/rotation'],
      ['get', '/healthz', '/healthz'],
    ];
    for (const [method, template, path, body] of calls) {
      const res = await t.call(method.toUpperCase(), `/challenge${path}`, { user, body });
      expect(res.status, path).toBe(200);
      expect(problems(res.body, responseSchema(method, template), path)).toEqual([]);
    }
    await setProgress(t, user, 'tutorial', { progress: 1, status: 'completed' });
    const claim = await t.call('POST', '/challenge/v1/challenges/season/goals/tutorial/claim', {
      user,
    });
    expect(claim.status).toBe(200);
    const claimSchema = responseSchema('post', '/v1/challenges/{challengeId}/goals/{goalId}/claim');
    expect(problems(claim.body, claimSchema, 'claim')).toEqual([]);
  });

  it('error bodies carry the rpcStatus fields', async () => {
    const res = await t.call('POST', '/challenge/v1/challenges/season/goals/nope/claim', {
      user: 'shapes',
    });
    expect(res.status).toBe(404);
    const rpcStatus = swagger.definitions.rpcStatus as Schema;
    const { errorCode, ...rest } = res.body;
    expect(errorCode).toBe('NOT_FOUND');
    expect(problems(rest, rpcStatus, 'error')).toEqual([]);
  });
});
