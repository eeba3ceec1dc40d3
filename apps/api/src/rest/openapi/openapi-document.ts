import type { CoreErrorCode } from '@challenges/core';
import { z } from 'zod';
import { ERROR_TABLE } from '../../errors/error-table.ts';
import { type Access, OPERATIONS, type Operation } from './operations.ts';
import { components, ZErrorBody } from './responses.schema.ts';

type Json = Record<string, unknown>;

const SCHEMAS = '#/components/schemas/';

/** zod's output carries a dialect and an id per schema; the OpenAPI 3.1 default dialect fits. */
function bare(schema: Json): Json {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}

/** A request schema as callers send it: defaults make fields optional, transforms are hidden. */
function inputSchema(schema: z.ZodType): Json {
  return bare(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json);
}

function ref(schema: z.ZodType): Json {
  const id = components.get(schema)?.id;
  if (!id) throw new Error('a response schema must be registered in components');
  return { $ref: `${SCHEMAS}${id}` };
}

const json = (schema: Json) => ({ 'application/json': { schema } });

const SECURITY_SCHEMES = {
  playerBearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A player token (AUTH_MODE=jwt): the user id is its `sub`; `exp` is required.',
  },
  mockUserId: {
    type: 'apiKey',
    in: 'header',
    name: 'x-mock-user-id',
    description: 'Development and load tests only (AUTH_MODE=mock): the caller’s user id.',
  },
  ingestApiKey: {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
    description: 'An ingest key: INGEST_API_KEYS or a key created in the dashboard.',
  },
  adminApiKey: { type: 'http', scheme: 'bearer', description: 'The ADMIN_API_KEY.' },
  dashboardSession: {
    type: 'apiKey',
    in: 'cookie',
    name: 'challenges_session',
    description: 'An admin’s dashboard session (changes need the dashboard’s origin).',
  },
};

const SECURITY: Record<Access, Json[]> = {
  public: [],
  player: [{ playerBearer: [] }, { mockUserId: [] }],
  ingestKey: [{ ingestApiKey: [] }],
  adminKey: [{ adminApiKey: [] }],
  adminKeyOrSession: [{ adminApiKey: [] }, { dashboardSession: [] }],
};

const ACCESS_ERRORS: Record<Access, CoreErrorCode[]> = {
  public: [],
  player: ['UNAUTHENTICATED', 'RATE_LIMITED'],
  ingestKey: ['UNAUTHENTICATED'],
  adminKey: ['UNAUTHENTICATED', 'PERMISSION_DENIED'],
  adminKeyOrSession: ['UNAUTHENTICATED', 'PERMISSION_DENIED'],
};

/** Every refusal an operation can answer, by HTTP status through the one error table. */
function errorResponses(op: Operation): Record<string, Json> {
  const codes = new Set<CoreErrorCode>([
    ...ACCESS_ERRORS[op.access],
    ...(op.params || op.query || op.body ? (['INVALID_ARGUMENT'] as const) : []),
    ...(op.body ? (['PAYLOAD_TOO_LARGE'] as const) : []),
    ...(op.errors ?? []),
    ...(op.access === 'public' ? [] : (['UNAVAILABLE'] as const)),
    'INTERNAL',
  ]);
  const byStatus = new Map<number, string[]>();
  for (const code of codes) {
    const { http, grpc } = ERROR_TABLE[code];
    byStatus.set(http, [...(byStatus.get(http) ?? []), `\`${code}\` (code ${grpc})`]);
  }
  const out: Record<string, Json> = {};
  for (const [status, names] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[status] = { description: names.join(', '), content: json(ref(ZErrorBody)) };
  }
  if (op.unavailable) {
    out['503'] = { description: 'A dependency is down', content: json(ref(op.unavailable)) };
  }
  return out;
}

function parameters(op: Operation): Json[] {
  const from = (schema: z.ZodObject | undefined, where: 'path' | 'query') => {
    if (!schema) return [];
    const object = inputSchema(schema) as { properties: Record<string, Json>; required?: string[] };
    return Object.entries(object.properties).map(([name, property]) => ({
      name,
      in: where,
      required: where === 'path' || (object.required ?? []).includes(name),
      schema: property,
    }));
  };
  return [...from(op.params, 'path'), ...from(op.query, 'query')];
}

function operationObject(op: Operation): Json {
  const success =
    'schema' in op.response
      ? { description: 'Success', content: json(ref(op.response.schema)) }
      : {
          description: op.response.description,
          content: { [op.response.mediaType]: { schema: {} } },
        };
  const params = parameters(op);
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    security: SECURITY[op.access],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(op.body ? { requestBody: { required: true, content: json(inputSchema(op.body)) } } : {}),
    responses: { [op.response.status]: success, ...errorResponses(op) },
  };
}

function componentSchemas(): Record<string, Json> {
  const { schemas } = z.toJSONSchema(components, { uri: (id) => `${SCHEMAS}${id}` }) as {
    schemas: Record<string, Json>;
  };
  return Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, bare(s)]));
}

/**
 * The OpenAPI 3.1 description of the REST API, generated from the schemas the routes parse
 * their input with and the answer schemas; paths are absolute (BASE_PATH included).
 */
export function buildOpenApiDocument(options: { basePath: string }): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const op of OPERATIONS) {
    const path = op.atRoot ? op.path : `${options.basePath}${op.path}`;
    paths[path] ??= {};
    // With an empty BASE_PATH the root health check is the same route: keep the first.
    paths[path][op.method] ??= operationObject(op);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Challenges service',
      version: '1.0',
      description:
        'Player REST API of the challenge service, compatible with the AccelByte ' +
        'extend-challenge-suite REST API (same paths under BASE_PATH, same JSON), plus event ' +
        'ingest and operator calls. Errors carry the gRPC status code of the same refusal. ' +
        'The dashboard’s tRPC API (/trpc) is not described here.',
    },
    tags: ['Challenges', 'Players', 'Events', 'Admin', 'Service'].map((name) => ({ name })),
    paths,
    components: { schemas: componentSchemas(), securitySchemes: SECURITY_SCHEMES },
  };
}
