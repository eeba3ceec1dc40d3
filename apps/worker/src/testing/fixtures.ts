import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Assignment, type Definitions, parseDefinitionsJson } from '@challenges/core';

/** Every progress mode, one goal each (see the file); all default-assigned but `optional-score`. */
export const EVENTS_CHALLENGES_FILE = fileURLToPath(
  new URL('./challenges.events.json', import.meta.url),
);

export function eventsDefinitions(): Definitions {
  return parseDefinitionsJson(readFileSync(EVENTS_CHALLENGES_FILE, 'utf8'));
}

const T0 = new Date('2026-03-01T10:00:00.000Z');

/** An active, not-started row of challenge `modes`; override what the test is about. */
export function row(overrides: Partial<Assignment> & { goalId: string }): Assignment {
  return {
    userId: 'u1',
    challengeId: 'modes',
    progress: 0,
    status: 'not_started',
    completedAt: null,
    claimedAt: null,
    isActive: true,
    assignedAt: T0,
    expiresAt: null,
    baseline: null,
    periodKey: null,
    lastIncrementDay: null,
    reopenedAt: null,
    updatedAt: T0,
    ...overrides,
  };
}
