import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

describe('npm run start:worker', () => {
  it('refuses a weak production configuration with the list of problems', async () => {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>(
      (resolve) => {
        const child = execFile(
          process.execPath,
          ['--import', 'tsx', main],
          {
            env: {
              PATH: process.env.PATH ?? '',
              NODE_ENV: 'production',
              // Nothing listens on port 1: were the configuration accepted, start would fail later.
              DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none',
              METRICS_HOST: '0.0.0.0',
            },
            timeout: 60_000,
          },
          (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
        );
      },
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/^worker cannot start: invalid configuration:\n/);
    expect(stderr).toMatch(/\n {2}REWARD_PROVIDER: REWARD_PROVIDER=mock is refused/);
    expect(stderr).toMatch(/\n {2}METRICS_HOST: 0\.0\.0\.0 would serve \/metrics/);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
