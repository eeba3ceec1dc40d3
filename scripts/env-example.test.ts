// .env.example is the one list of settings a person reads: it must name every variable the
// services' env schemas read, and nothing they do not (a renamed variable would leave a dead line).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_VARIABLES as API_VARIABLES } from '../apps/api/src/env.ts';
import { ENV_VARIABLES as WEB_VARIABLES } from '../apps/web/env.ts';
import { ENV_VARIABLES as WORKER_VARIABLES } from '../apps/worker/src/env.ts';
import { REPO_ROOT } from './build/bundle.ts';

/** Read by `npm start` itself (scripts/start.ts, scripts/process-manager), not by a service. */
const START_VARIABLES = [
  'START_DATA_DIR',
  'START_DEFAULT_DATABASE_URL',
  'START_DEFAULT_REDIS_URL',
  'START_SERVICES_FILE',
];

/** Every `NAME=` line of the file, commented out or not. */
function exampleVariables(text: string): string[] {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const match = /^#?([A-Z][A-Z0-9_]*)=/.exec(line.trim());
    if (match) names.add(match[1]!);
  }
  return [...names].sort();
}

describe('.env.example', () => {
  const listed = exampleVariables(readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8'));
  const known = new Set([
    ...API_VARIABLES,
    ...WORKER_VARIABLES,
    ...WEB_VARIABLES,
    ...START_VARIABLES,
  ]);

  it('lists every variable the api, worker and dashboard read', () => {
    expect([...known].filter((name) => !listed.includes(name)).sort()).toEqual([]);
  });

  it('lists no variable that nothing reads', () => {
    expect(listed.filter((name) => !known.has(name))).toEqual([]);
  });

  it('reads commented and set lines alike', () => {
    expect(exampleVariables('# a comment\n#FOO=1\nBAR_2=\n  #BAZ=x\nlower=1\n')).toEqual([
      'BAR_2',
      'BAZ',
      'FOO',
    ]);
  });
});
