// Runs `prisma generate` for the root postinstall. Plain .mjs (not .ts) so it works before tsx
// exists and in installs without dev dependencies.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(packageDir, 'package.json'));

let cli;
try {
  cli = join(dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
} catch {
  // A production install without dev dependencies must not fail here; the generated client is
  // then expected to come from the build image.
  console.warn('[db] prisma CLI not installed: skipping prisma generate');
  process.exit(0);
}

// `generate` never runs the schema engine, but Prisma 7 checks that its binary exists and tries
// to download it when missing, which fails offline: any existing file satisfies the check.
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
const result = spawnSync(process.execPath, [cli, 'generate'], {
  cwd: packageDir,
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
