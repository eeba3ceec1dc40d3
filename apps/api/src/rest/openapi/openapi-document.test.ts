import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openapi-document.ts';
import { OPENAPI_FILE, openApiFileText } from './write-openapi.ts';

/** The original service's API description (Swagger 2, basePath /challenge). */
const original = JSON.parse(
  readFileSync(
    new URL('../../../../../fixtures/reference/original-service.swagger.json', import.meta.url),
    'utf8',
  ),
);

type Schema = {
  type?: string;
  $ref?: string;
  anyOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
};
type Doc = any;

/** Follows $refs (`#/definitions/…` or `#/components/schemas/…`) and a nullable's anyOf. */
function resolve(doc: Doc, schema: Schema): Schema {
  if (schema.$ref) {
    const target = schema.$ref
      .slice(2)
      .split('/')
      .reduce((node: Doc, key) => node?.[key], doc);
    if (!target) throw new Error(`unresolved ${schema.$ref}`);
    return resolve(doc, target);
  }
  const branch = schema.anyOf?.find((s) => s.type !== 'null');
  return branch ? resolve(doc, branch) : schema;
}

/** Every field of `theirs` that `ours` lacks or types differently, as "where: problem". */
function fieldProblems(theirs: Schema, ours: Schema, ourDoc: Doc, where: string): string[] {
  const t = resolve(original, theirs);
  const o = resolve(ourDoc, ours);
  if (t.properties) {
    return Object.entries(t.properties).flatMap(([name, sub]) =>
      o.properties?.[name]
        ? fieldProblems(sub, o.properties[name], ourDoc, `${where}.${name}`)
        : [`${where}.${name}: missing`],
    );
  }
  if (t.type && t.type !== 'object' && t.type !== o.type) {
    return [`${where}: ${o.type ?? 'untyped'}, the original says ${t.type}`];
  }
  if (t.type === 'array') return fieldProblems(t.items ?? {}, o.items ?? {}, ourDoc, `${where}[]`);
  return [];
}

/** What of the original's paths, methods, parameters and fields `ours` (served at basePath) lacks. */
function originalCoverage(ours: Doc, basePath: string): string[] {
  const problems: string[] = [];
  for (const [path, item] of Object.entries<Doc>(original.paths)) {
    for (const [method, theirs] of Object.entries<Doc>(item)) {
      const where = `${method.toUpperCase()} ${basePath}${path}`;
      const op = ours.paths[`${basePath}${path}`]?.[method];
      if (!op) {
        problems.push(`${where}: missing`);
        continue;
      }
      for (const p of theirs.parameters ?? []) {
        if (p.in === 'body') {
          const body = op.requestBody?.content['application/json'].schema ?? {};
          problems.push(...fieldProblems(p.schema, body, ours, `${where} body`));
          continue;
        }
        const mine = op.parameters?.find((q: Doc) => q.name === p.name && q.in === p.in);
        const types = mine ? [mine.schema, ...(mine.schema.anyOf ?? [])].map((s) => s.type) : [];
        if (!types.includes(p.type)) problems.push(`${where} ${p.in} ${p.name}: missing`);
      }
      const success = op.responses['200']?.content['application/json'].schema ?? {};
      problems.push(...fieldProblems(theirs.responses['200'].schema, success, ours, where));
      for (const [status, response] of Object.entries<Doc>(op.responses)) {
        if (status.startsWith('2') || status === '503') continue;
        const error = response.content['application/json'].schema;
        problems.push(
          ...fieldProblems({ $ref: '#/definitions/rpcStatus' }, error, ours, `${where} ${status}`),
        );
      }
      if (theirs.security && !op.security.some((r: Doc) => 'playerBearer' in r)) {
        problems.push(`${where}: no bearer token`);
      }
    }
  }
  return problems;
}

describe('the OpenAPI document', () => {
  const basePath = '/studio/challenge';
  const doc = buildOpenApiDocument({ basePath }) as Doc;

  it('is a valid OpenAPI 3.1 document whose references all resolve', async () => {
    const validator = new Validator();
    expect(await validator.validate(doc)).toEqual({ valid: true });
    expect(validator.version).toBe('3.1');
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of new Set(refs))
      expect(() => resolve(doc, JSON.parse(`{${ref}}`))).not.toThrow();
  });

  it('has every path, method, parameter and field of the original’s description', () => {
    expect(original.basePath).toBe('/challenge');
    expect(originalCoverage(doc, basePath)).toEqual([]);
  });

  it('would report a missing route, field or parameter', () => {
    const broken = structuredClone(doc);
    delete broken.paths[`${basePath}/v1/challenges/{challengeId}/rotation`];
    delete broken.components.schemas.Goal.properties.locked;
    broken.paths[`${basePath}/v1/challenges`].get.parameters = [];
    broken.components.schemas.Reward.properties.quantity.type = 'string';
    expect(originalCoverage(broken, basePath)).toEqual([
      `GET ${basePath}/v1/challenges query activeOnly: missing`,
      `GET ${basePath}/v1/challenges.challenges[].goals[].reward.quantity: string, the original says integer`,
      `GET ${basePath}/v1/challenges.challenges[].goals[].locked: missing`,
      `POST ${basePath}/v1/challenges/initialize.assignedGoals[].reward.quantity: string, the original says integer`,
      `POST ${basePath}/v1/challenges/{challengeId}/goals/batch-select.selectedGoals[].reward.quantity: string, the original says integer`,
      `POST ${basePath}/v1/challenges/{challengeId}/goals/random-select.selectedGoals[].reward.quantity: string, the original says integer`,
      `POST ${basePath}/v1/challenges/{challengeId}/goals/{goalId}/claim.reward.quantity: string, the original says integer`,
      `GET ${basePath}/v1/challenges/{challengeId}/rotation: missing`,
    ]);
  });

  it('is committed as docs/openapi.json for the default BASE_PATH (npm run openapi)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(openApiFileText());
  });
});
