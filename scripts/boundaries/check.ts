// `npm run lint` runs this after Biome: prints every boundary violation and fails on any.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkBoundaries, type SourceFile } from './rules.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
/** Installed, built or generated: not ours to hold to the rules. */
const SKIPPED = new Set([
  'node_modules',
  '.git',
  '.next',
  '.turbo',
  'dist',
  'coverage',
  'gen',
  'generated',
  'results',
  'test-results',
  'playwright-report',
  'reports',
]);

function repositoryFiles(): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') && entry.name !== '.') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name)) walk(full);
      } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        out.push({
          path: path.relative(ROOT, full).split(path.sep).join('/'),
          text: readFileSync(full, 'utf8'),
        });
      }
    }
  };
  walk(ROOT);
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const files = repositoryFiles();
  const violations = checkBoundaries(files);
  for (const v of violations) console.error(`${v.path}:${v.line}  ${v.rule}  ${v.message}`);
  console.log(
    violations.length === 0
      ? `boundaries: ${files.length} files, no violations`
      : `boundaries: ${violations.length} violation(s) in ${files.length} files (docs/architecture.md)`,
  );
  process.exitCode = violations.length === 0 ? 0 : 1;
}
