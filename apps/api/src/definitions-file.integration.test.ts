import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@challenges/db/testing';
import { DEMO_CHALLENGES_FILE, fileDefinitionsSource } from '@challenges/runtime';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

function brokenFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'defs-'));
  const file = join(dir, 'broken.json');
  writeFileSync(
    file,
    JSON.stringify({
      challenges: [
        {
          challengeId: 'winter',
          name: 'Winter',
          description: '',
          goals: [
            {
              goalId: 'snowmen',
              name: 'Snowmen',
              description: '',
              eventSource: 'statistic',
              requirement: { statCode: 'snowmen_killed', operator: '>=', targetValue: 0 },
              reward: { type: 'ITEM', rewardId: 'hat', quantity: 1 },
            },
          ],
        },
      ],
    }),
  );
  return file;
}

describe('definitions file', () => {
  it('loads the bundled demo file', async () => {
    const source = await fileDefinitionsSource(DEMO_CHALLENGES_FILE);
    expect(source.current().challenges.length).toBeGreaterThan(0);
  });

  it('a broken file names the goal and the reason', async () => {
    await expect(fileDefinitionsSource(brokenFile())).rejects.toThrow(
      "invalid goal 'snowmen' in challenge 'winter': targetValue must be positive",
    );
  });

  it('the api process refuses to start with a broken file', async () => {
    const database = await createTestDatabase();
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
        env: {
          ...process.env,
          DATABASE_URL: database.url,
          CHALLENGES_FILE: brokenFile(),
          HTTP_PORT: '0',
          AUTH_MODE: 'mock',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(output).toContain(
        "invalid goal 'snowmen' in challenge 'winter': targetValue must be positive",
      );
    } finally {
      await database.drop();
    }
  });
});
