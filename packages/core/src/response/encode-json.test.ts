import { describe, expect, it } from 'vitest';
import { makeDefinitions, makeGoal, makeRotation, makeRow } from '../testing/builders.ts';
import { plainChallengesResponse } from '../testing/plain-responses.ts';
import { assignmentViews, buildChallengeViews } from './build-views.ts';
import { encodeChallengesJson, encodeInitializeJson } from './encode-json.ts';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

const now = new Date('2026-03-10T12:00:00Z');
const definitions = makeDefinitions([
  makeGoal({
    goalId: 'a',
    challengeId: 'c1',
    name: 'Quote " and \\ and \u2028',
    description: 'ü 🎮',
  }),
  makeGoal({ goalId: 'b', challengeId: 'c1', prerequisites: ['a'] }),
  makeGoal({
    goalId: 'd',
    challengeId: 'c2',
    rotation: makeRotation({ schedule: 'daily', timezone: 'Asia/Kolkata' }),
    requirement: { progressMode: 'increment', targetValue: 3 },
  }),
]);

/** The same response built the slow, obvious way, to compare the spliced JSON against. */
function naive(rows: Parameters<typeof assignmentViews>[0]['rows'], activeOnly = false) {
  return plainChallengesResponse(
    buildChallengeViews({
      definitions,
      views: assignmentViews({ definitions, rows, now }),
      now,
      activeOnly,
    }),
  );
}

describe('encodeChallengesJson', () => {
  it('splices per-player fields into valid JSON equal to a plain serialisation', () => {
    const rows = [
      makeRow({
        goalId: 'a',
        challengeId: 'c1',
        progress: 10,
        status: 'completed',
        completedAt: now,
      }),
      makeRow({
        goalId: 'd',
        challengeId: 'c2',
        progress: 1,
        status: 'in_progress',
        periodKey: 'stale',
      }),
    ];
    const views = buildChallengeViews({
      definitions,
      views: assignmentViews({ definitions, rows, now }),
      now,
      activeOnly: false,
    });
    const json = encodeChallengesJson(definitions, views);
    expect(JSON.parse(text(json))).toEqual(naive(rows));
    const parsed = JSON.parse(text(json));
    expect(parsed.challenges[0].goals[0].name).toBe('Quote " and \\ and \u2028');
    expect(parsed.challenges[0].goals[1].locked).toBe(false);
    expect(parsed.challenges[1].goals[0]).toMatchObject({
      progress: 0,
      status: 'not_started',
      expiresAt: '2026-03-10T18:30:00Z',
      expiresInSeconds: 6 * 3600 + 1800,
    });
  });

  it('gives a rotating goal nobody was assigned yet the end of its period', () => {
    // No rows: every goal is unassigned; the rotating one still expires at the period's end.
    const views = buildChallengeViews({
      definitions,
      views: assignmentViews({ definitions, rows: [], now: now }),
      now,
      activeOnly: false,
    });
    const parsed = JSON.parse(text(encodeChallengesJson(definitions, views)));
    expect(parsed).toEqual(naive([]));
    const d = parsed.challenges[1].goals[0];
    expect(d).toMatchObject({ goalId: 'd', status: 'not_started', progress: 0 });
    // The daily period in Asia/Kolkata (UTC+5:30) that holds 12:00 UTC ends at 18:30 UTC.
    expect(d.expiresAt).toBe('2026-03-10T18:30:00Z');
    expect(parsed.challenges[0].goals[0]).toMatchObject({ goalId: 'a', expiresAt: '' });
  });

  it('omits challenges without active goals when asked for active only', () => {
    const rows = [makeRow({ goalId: 'b', challengeId: 'c1', isActive: true })];
    const views = buildChallengeViews({
      definitions,
      views: assignmentViews({ definitions, rows, now }),
      now,
      activeOnly: true,
    });
    const parsed = JSON.parse(text(encodeChallengesJson(definitions, views)));
    expect(parsed).toEqual(naive(rows, true));
    expect(parsed.challenges.map((c: { challengeId: string }) => c.challengeId)).toEqual(['c1']);
    expect(parsed.challenges[0].goals[0]).toMatchObject({ goalId: 'b', locked: true });
  });
});

describe('encodeInitializeJson', () => {
  it('gives the initialize entries with target and spliced fields', () => {
    const rows = [
      makeRow({ goalId: 'd', challengeId: 'c2', progress: 2, periodKey: null, assignedAt: now }),
    ];
    const views = buildChallengeViews({
      definitions,
      views: assignmentViews({ definitions, rows, now }),
      now,
      activeOnly: true,
    });
    const goals = views.flatMap((v) => v.goals);
    expect(
      JSON.parse(
        text(
          encodeInitializeJson(definitions, {
            assignedGoals: goals,
            newAssignments: 0,
            totalActive: 1,
          }),
        ),
      ).assignedGoals,
    ).toEqual([
      {
        challengeId: 'c2',
        goalId: 'd',
        name: 'Goal',
        description: '',
        isActive: true,
        assignedAt: '2026-03-10T12:00:00Z',
        expiresAt: '2026-03-10T18:30:00Z',
        progress: 0,
        target: 3,
        status: 'not_started',
        requirement: { statCode: 'kills', operator: '>=', targetValue: 3 },
        reward: { type: 'ITEM', rewardId: 'sword', quantity: 1 },
      },
    ]);
  });
});
