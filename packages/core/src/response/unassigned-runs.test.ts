import { describe, expect, it } from 'vitest';
import type { Assignment } from '../progress/progress.types.ts';
import { makeDefinitions, makeGoal, makeRotation, makeRow } from '../testing/builders.ts';
import { plainChallengesResponse } from '../testing/plain-responses.ts';
import { assignmentViews, buildChallengeViews } from './build-views.ts';
import { encodeChallengesJson } from './encode-json.ts';
import type { ChallengeView } from './goal-view.ts';
import { fragmentsOf } from './json-fragments.ts';
import { unassignedRunsOf } from './unassigned-runs.ts';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const now = new Date('2026-03-10T12:00:00Z');

// c1: plain goals around a locked one (prerequisite g1), a rotating one and an assigned one;
// c2: plain goals only. Runs of plain unassigned goals must break at each of the others.
const goals = [
  makeGoal({ goalId: 'g0', challengeId: 'c1', name: 'Zero "0"' }),
  makeGoal({ goalId: 'g1', challengeId: 'c1' }),
  makeGoal({ goalId: 'g2', challengeId: 'c1', prerequisites: ['g1'] }),
  makeGoal({ goalId: 'g3', challengeId: 'c1', description: 'ü 🎮' }),
  makeGoal({
    goalId: 'g4',
    challengeId: 'c1',
    rotation: makeRotation({ schedule: 'daily', timezone: 'UTC' }),
  }),
  makeGoal({ goalId: 'g5', challengeId: 'c1' }),
  makeGoal({ goalId: 'g6', challengeId: 'c1' }),
  makeGoal({ goalId: 'g7', challengeId: 'c1' }),
  makeGoal({ goalId: 'h0', challengeId: 'c2' }),
  makeGoal({ goalId: 'h1', challengeId: 'c2' }),
  makeGoal({ goalId: 'h2', challengeId: 'c2' }),
];
const definitions = makeDefinitions(goals);
const row = (goalId: string, extra: Partial<Assignment> = {}) =>
  makeRow({ goalId, challengeId: goalId.startsWith('g') ? 'c1' : 'c2', progress: 1, ...extra });

function views(rows: Assignment[], activeOnly = false): ChallengeView[] {
  return buildChallengeViews({
    definitions,
    views: assignmentViews({ definitions, rows, now }),
    now,
    activeOnly,
  });
}

const plain = (challenges: ChallengeView[]) => JSON.stringify(plainChallengesResponse(challenges));

describe('unassignedRunsOf', () => {
  it("lays each challenge's unassigned entries end to end, commas between", () => {
    const fragments = fragmentsOf(definitions);
    const { runs, position } = unassignedRunsOf(definitions, fragments);
    const run = runs.get('c1')!;
    const entries = definitions.challengesById
      .get('c1')!
      .goals.map((goal) => text(fragments.goals.get(goal.goalId)!.listUnassigned));
    expect(text(run.bytes)).toBe(entries.join(','));
    expect(text(run.bytes.subarray(run.start[5], run.end[7]))).toBe(entries.slice(5, 8).join(','));
    expect(position.get('g5')).toBe(5);
    expect(position.get('h2')).toBe(2);
    expect(unassignedRunsOf(definitions, fragments)).toBe(unassignedRunsOf(definitions, fragments));
  });
});

describe('encodeChallengesJson with runs of unassigned goals', () => {
  it('is byte for byte the plain serialisation however the runs break', () => {
    const cases: Assignment[][] = [
      [],
      [row('g0')],
      [row('g3'), row('h1', { status: 'completed', completedAt: now })],
      [row('g1', { status: 'completed', completedAt: now }), row('g7'), row('h0'), row('h2')],
      goals.map((goal) => row(goal.goalId)),
    ];
    for (const rows of cases) {
      for (const activeOnly of [false, true]) {
        const challenges = views(rows, activeOnly);
        expect(text(encodeChallengesJson(definitions, challenges))).toBe(plain(challenges));
      }
    }
  });

  it('copies no run across goals a view leaves out', () => {
    // A view may hold fewer goals than the definitions (g2 and g6 left out): neighbours in the
    // view that are not neighbours in the definitions are two runs, not one.
    const challenges = views([row('h1')]).map((c) => ({
      ...c,
      goals: c.goals.filter((g) => g.goal.goalId !== 'g2' && g.goal.goalId !== 'g6'),
    }));
    expect(text(encodeChallengesJson(definitions, challenges))).toBe(plain(challenges));
  });
});
