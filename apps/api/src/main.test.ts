import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

/** `npm run start:api` as a newcomer runs it: no JWT settings, no AUTH_MODE. */
function startApi(env: Record<string, string>) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', main],
      // Nothing listens on port 1: were the configuration accepted, start would fail elsewhere.
      {
        env: {
          PATH: process.env.PATH ?? '',
          DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none',
          ...env,
        },
        timeout: 60_000,
      },
      (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
    );
  });
}

describe('npm run start:api', () => {
  it('refuses to start without JWT settings, saying what to set', async () => {
    const { code, stderr } = await startApi({});
    expect(code).toBe(1);
    expect(stderr).toMatch(/^api cannot start: invalid configuration:\n {2}AUTH_MODE: /);
    for (const hint of ['JWT_JWKS_URL', 'JWT_PUBLIC_KEY', 'JWT_SECRET', 'AUTH_MODE=mock']) {
      expect(stderr).toContain(hint);
    }
    // The problem list, not a stack trace.
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('names PostgreSQL, DATABASE_URL (password redacted) and a fix when the database is down', async () => {
    const { code, stderr } = await startApi({
      AUTH_MODE: 'mock',
      DATABASE_URL: 'postgresql://postgres:s3cret@127.0.0.1:1/none',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^api cannot start: PostgreSQL is not reachable at postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/none \(DATABASE_URL\): connect ECONNREFUSED 127\.0\.0\.1:1\. Start PostgreSQL there, or set DATABASE_URL/,
    );
    expect(stderr).not.toContain('s3cret');
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
