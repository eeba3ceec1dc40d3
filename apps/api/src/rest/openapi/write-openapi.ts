import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_BASE_PATH } from '../../env.ts';
import { buildOpenApiDocument } from './openapi-document.ts';

/** docs/openapi.json: the document as served with the default BASE_PATH, for readers and tools. */
export const OPENAPI_FILE = fileURLToPath(
  new URL('../../../../../docs/openapi.json', import.meta.url),
);

export function openApiFileText(): string {
  return `${JSON.stringify(buildOpenApiDocument({ basePath: DEFAULT_BASE_PATH }), null, 2)}\n`;
}

// `npm run openapi`
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeFileSync(OPENAPI_FILE, openApiFileText());
  console.log(`wrote ${OPENAPI_FILE}`);
}
