import { describe, expect, it } from 'vitest';
import { checkBoundaries, type RuleName } from './rules.ts';

/** The rules each file breaks, as `rule@line`. */
function broken(path: string, text: string): string[] {
  return checkBoundaries([{ path, text }]).map((v) => `${v.rule}@${v.line}`);
}

describe('core-is-pure', () => {
  it('allows zod, luxon and core files, and refuses anything else', () => {
    const file = 'packages/core/src/claim/claim-goal.ts';
    expect(broken(file, `import { z } from 'zod';\nimport { DateTime } from 'luxon';`)).toEqual([]);
    expect(broken(file, `import { x } from '../errors.ts';`)).toEqual([]);
    expect(broken(file, `import pg from 'pg';`)).toEqual(['core-is-pure@1', 'db-owns-sql@1']);
    expect(broken(file, `\nimport { readFileSync } from 'node:fs';`)).toEqual(['core-is-pure@2']);
    expect(broken(file, `import { x } from '../../../db/src/index.ts';`)).toEqual([
      'core-is-pure@1',
    ]);
  });

  it('lets core tests use their tools', () => {
    expect(broken('packages/core/src/claim/claim.test.ts', `import fc from 'fast-check';`)).toEqual(
      [],
    );
  });
});

describe('db-owns-sql', () => {
  const file = 'apps/api/src/loadtest/run-store.ts';

  it('refuses a database driver or the Prisma client outside packages/db, type-only too', () => {
    expect(broken(file, `import type pg from 'pg';`)).toEqual(['db-owns-sql@1']);
    expect(broken(file, `import { PrismaClient } from '@prisma/client';`)).toEqual([
      'db-owns-sql@1',
    ]);
    expect(broken('packages/db/src/client.ts', `import pg from 'pg';`)).toEqual([]);
  });

  it('refuses SQL statements in strings and templates, not the words in prose', () => {
    const sql = ['const q = `SELECT status FROM $', '{table} WHERE id = $1`;'].join('');
    expect(broken(file, sql)).toEqual(['db-owns-sql@1']);
    expect(broken(file, `x('UPDATE load_test_runs SET status = 1');`)).toEqual(['db-owns-sql@1']);
    expect(broken(file, `x("TRUNCATE progress");`)).toEqual(['db-owns-sql@1']);
    expect(broken(file, `x('select the goals from the list');\n// SELECT x FROM y`)).toEqual([]);
  });

  it('exempts bench/, tools/ and tests', () => {
    const sql = `q('DELETE FROM progress');`;
    expect(broken('bench/lib/measure.ts', sql)).toEqual([]);
    expect(broken('tools/loadtest/src/runner.ts', sql)).toEqual([]);
    expect(broken('apps/api/src/claims.integration.test.ts', sql)).toEqual([]);
  });
});

describe('no-testing-in-product', () => {
  it('refuses a testing/ module in code that ships, by path or package subpath', () => {
    const file = 'tools/loadtest/src/runner.ts';
    expect(
      broken(file, `import { x } from '../../../apps/api/src/testing/event-clients.ts';`),
    ).toEqual(['no-testing-in-product@1']);
    expect(broken(file, `import { x } from '@challenges/core/testing';`)).toEqual([
      'no-testing-in-product@1',
    ]);
    expect(broken('apps/api/src/testing/test-api.ts', `import { x } from './spawn.ts';`)).toEqual(
      [],
    );
  });
});

describe('edges-apart', () => {
  it('refuses an edge importing another edge, and allows edge/ plumbing', () => {
    const grpc = 'apps/api/src/grpc/player-service.ts';
    expect(broken(grpc, `import type { HealthCheck } from '../rest/server.ts';`)).toEqual([
      'edges-apart@1',
    ]);
    expect(broken(grpc, `import { parseInput } from '../edge/inputs.ts';`)).toEqual([]);
    expect(broken(grpc, `import { x } from './player-messages.ts';`)).toEqual([]);
  });

  it('refuses shared modules importing an edge; the composition root may', () => {
    const text = `import type { TrpcDeps } from '../trpc/context.ts';`;
    expect(broken('apps/api/src/auth/dashboard.ts', text)).toEqual(['edges-apart@1']);
    expect(broken('apps/api/src/start/listeners.ts', text)).toEqual([]);
    expect(broken('apps/api/src/app.ts', `import { x } from './rest/server.ts';`)).toEqual([]);
  });
});

describe('env-modules-only', () => {
  it('refuses process.env outside env modules and the listed entry scripts', () => {
    const read = `const url = process.env.API_URL;\nconst all = process['env'];`;
    expect(broken('apps/api/src/loadtest/start-run.ts', read)).toEqual([
      'env-modules-only@1',
      'env-modules-only@2',
    ]);
    expect(broken('apps/api/src/env.ts', read)).toEqual([]);
    expect(broken('packages/runtime/src/env/parse-env.ts', read)).toEqual([]);
    expect(broken('scripts/start.ts', read)).toEqual([]);
    expect(broken('apps/api/src/main.test.ts', read)).toEqual([]);
  });

  it('does not count a mention in a comment', () => {
    expect(broken('apps/api/src/app.ts', '// nothing reads process.env here')).toEqual([]);
  });
});

it('names every rule it can break', () => {
  const rules: RuleName[] = [
    'core-is-pure',
    'db-owns-sql',
    'no-testing-in-product',
    'edges-apart',
    'env-modules-only',
  ];
  const all = checkBoundaries([
    { path: 'packages/core/src/a.ts', text: `import 'node:fs';` },
    { path: 'apps/api/src/a.ts', text: `q('DELETE FROM x');` },
    { path: 'apps/api/src/b.ts', text: `import './testing/x.ts';` },
    { path: 'apps/api/src/rest/a.ts', text: `import '../grpc/x.ts';` },
    { path: 'apps/api/src/c.ts', text: 'process.env.X;' },
  ]);
  expect(new Set(all.map((v) => v.rule))).toEqual(new Set(rules));
});
