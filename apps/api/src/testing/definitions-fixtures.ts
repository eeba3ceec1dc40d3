import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A definitions file in a fresh temporary directory (for CHALLENGES_FILE); its path. */
export function writeChallengesFile(name: string, content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), `${name}-`)), 'challenges.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

/** Definitions files for the hot-reload tests: every goal name carries its version number. */

export const VERSIONED_CHALLENGES = ['alpha', 'beta', 'gamma'] as const;

export function versionedFile(version: number, goalsPerChallenge = 5) {
  return {
    challenges: VERSIONED_CHALLENGES.map((challengeId) => ({
      challengeId,
      name: `v${version} ${challengeId}`,
      description: `version ${version}`,
      goals: Array.from({ length: goalsPerChallenge }, (_, i) => ({
        goalId: `${challengeId}-${i}`,
        name: `v${version} ${challengeId} goal ${i}`,
        description: `v${version}`,
        eventSource: 'login',
        requirement: { statCode: 'login_count', operator: '>=', targetValue: 1 + i },
        reward: { type: 'ITEM', rewardId: `item-${i}`, quantity: 1 },
        defaultAssigned: i === 0,
      })),
    })),
  };
}

/** The versions the names of a GET /v1/challenges answer come from (one, unless mixed). */
export function versionsInAnswer(body: {
  challenges: { name: string; goals: { name: string }[] }[];
}): Set<string> {
  const versions = new Set<string>();
  for (const challenge of body.challenges) {
    versions.add(/^v(\d+) /.exec(challenge.name)?.[1] ?? `unversioned:${challenge.name}`);
    for (const goal of challenge.goals) {
      versions.add(/^v(\d+) /.exec(goal.name)?.[1] ?? `unversioned:${goal.name}`);
    }
  }
  return versions;
}

/** Polls `probe` until it returns true; the elapsed milliseconds, or a throw at the deadline. */
export async function pollUntil(
  probe: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 10,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await probe()) return performance.now() - started;
    if (performance.now() - started > timeoutMs) {
      throw new Error(`condition not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
