import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildOpenApiDocument } from './openapi-document.ts';

const PAGE = readFileSync(new URL('./reference.html', import.meta.url), 'utf8');

/** The reference page with the document inlined: it renders offline, with no request of its own. */
export function referencePage(documentJson: string): string {
  // `<` escaped so no string in the document can close the script element.
  return PAGE.replace('"__OPENAPI_DOCUMENT__"', () => documentJson.replace(/</g, '\\u003c'));
}

/** The page runs its own inline script and nothing else: no network, no other origin. */
const PAGE_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; base-uri 'none'";

/** GET {BASE_PATH}/openapi.json and its rendered page {BASE_PATH}/docs, public, built once. */
export function registerOpenApiRoutes(app: FastifyInstance, deps: { basePath: string }): void {
  const documentJson = JSON.stringify(buildOpenApiDocument(deps));
  const page = referencePage(documentJson);
  app.get('/openapi.json', async (_req, reply) =>
    reply.type('application/json; charset=utf-8').send(documentJson),
  );
  app.get('/docs', async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', PAGE_POLICY)
      .send(page),
  );
}
