// The production build of the Node processes: one ES module per entry point, our own TypeScript
// (the workspace packages included) bundled in, every npm dependency left to node_modules. The
// result runs on plain `node`, with no TypeScript loader. `next build` compiles the dashboard's
// pages; its server (apps/web/server.ts) is one of the entries here.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface EntryPoint {
  name: string;
  /** Repository-relative source. */
  source: string;
  /** Repository-relative output; the package scripts that start it name this file. */
  output: string;
}

export const ENTRY_POINTS: readonly EntryPoint[] = [
  { name: 'api', source: 'apps/api/src/main.ts', output: 'apps/api/dist/main.js' },
  { name: 'worker', source: 'apps/worker/src/main.ts', output: 'apps/worker/dist/main.js' },
  { name: 'web', source: 'apps/web/server.ts', output: 'apps/web/dist/server.js' },
  {
    name: 'migrate',
    source: 'packages/db/src/migrate/cli.ts',
    output: 'packages/db/dist/migrate.js',
  },
  { name: 'loadtest', source: 'tools/loadtest/src/cli.ts', output: 'tools/loadtest/dist/cli.js' },
];

/**
 * Workspace packages (`@challenges/*`) export their TypeScript sources, so they are bundled;
 * every other bare import (npm packages, `node:*`) stays an import, resolved from node_modules
 * at run time like under tsx.
 */
const npmPackagesExternal: Plugin = {
  name: 'npm-packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@challenges/') ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * Modules find their files next to their source (`new URL('../demo/x.json', import.meta.url)`:
 * migrations, the demo definitions, the .proto files, the API reference page). In a bundle
 * `import.meta.url` would be the bundle's own URL, so each module gets its source file's URL
 * back, expressed relative to the bundle: the build stays relocatable as a whole tree.
 */
function sourceLocations(outfile: string): Plugin {
  return {
    name: 'source-locations',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        if (/import\.meta\.(dirname|filename)\b/.test(text)) {
          // Only `url` is rewritten: one form to keep right.
          throw new Error(
            `${args.path}: use import.meta.url instead of import.meta.dirname/filename`,
          );
        }
        const fromBundle = path
          .relative(path.dirname(outfile), args.path)
          .split(path.sep)
          .join('/');
        const url = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
        return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' };
      });
    },
  };
}

/** Bundles one entry point; `outfile` may be absolute (tests build into a folder of their own). */
export async function bundle(entry: EntryPoint, outfile = entry.output): Promise<void> {
  const absolute = path.resolve(REPO_ROOT, outfile);
  await build({
    entryPoints: [path.resolve(REPO_ROOT, entry.source)],
    outfile: absolute,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [npmPackagesExternal, sourceLocations(absolute)],
  });
}
