import { describe, expect, it } from 'vitest';
import type { Assignment } from '../progress/progress.types.ts';
import { makeDefinitions, makeGoal, makeRotation, makeRow } from '../testing/builders.ts';
import { plainChallengesResponse } from '../testing/plain-responses.ts';
import { formatTimestamp } from '../time/format-time.ts';
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

describe('spliced JSON is byte for byte a plain serialisation', () => {
  // Every per-player field the splicing writes in place: each status, locked or not, active or
  // not, set and unset timestamps (a rotating goal expires), large and zero numbers.
  const statuses = ['not_started', 'in_progress', 'completed', 'claimed'] as const;
  const goals = statuses.flatMap((_, i) => [
    makeGoal({ goalId: `s${i}`, challengeId: 'c1', name: `Ünïcode ${i} "q"` }),
    makeGoal({ goalId: `s${i}-locked`, challengeId: 'c1', prerequisites: [`s${i}`, 'none'] }),
    makeGoal({
      goalId: `s${i}-rot`,
      challengeId: 'c2',
      rotation: makeRotation({ schedule: 'weekly', timezone: 'America/New_York' }),
      requirement: { progressMode: 'increment', targetValue: 2_000_000_000 },
    }),
  ]);
  const defs = makeDefinitions(goals);
  const at = (ms: number) => new Date(now.getTime() - ms);
  const rows = goals.map((goal, i) =>
    makeRow({
      goalId: goal.goalId,
      challengeId: goal.challengeId,
      status: statuses[Math.floor(i / 3)]!,
      progress: i === 4 ? 2_147_483_647 : i,
      isActive: i % 2 === 0,
      assignedAt: at(i * 1_001),
      completedAt: i % 3 === 0 ? null : at(i * 60_000),
      claimedAt: i % 4 === 1 ? at(i) : null,
      periodKey: goal.rotation ? null : 'x',
    }),
  );
  const views = (rowsOf: readonly Assignment[], activeOnly: boolean) =>
    buildChallengeViews({
      definitions: defs,
      views: assignmentViews({ definitions: defs, rows: rowsOf, now }),
      now,
      activeOnly,
    });

  it('encodeChallengesJson', () => {
    for (const [rowsOf, activeOnly] of [
      [rows, false],
      [rows, true],
      [rows.slice(5), false],
      [[], false],
    ] as const) {
      const challenges = views(rowsOf, activeOnly);
      expect(text(encodeChallengesJson(defs, challenges))).toBe(
        JSON.stringify(plainChallengesResponse(challenges)),
      );
    }
  });

  it('encodeInitializeJson', () => {
    const assignedGoals = views(rows, false).flatMap((c) => c.goals);
    const plain = {
      assignedGoals: assignedGoals.map((view) => ({
        challengeId: view.goal.challengeId,
        goalId: view.goal.goalId,
        name: view.goal.name,
        description: view.goal.description,
        isActive: view.isActive,
        assignedAt: formatTimestamp(view.assignedAt),
        expiresAt: formatTimestamp(view.expiresAt),
        progress: view.progress,
        target: view.goal.requirement.targetValue,
        status: view.status,
        requirement: {
          statCode: view.goal.requirement.statCode,
          operator: view.goal.requirement.operator,
          targetValue: view.goal.requirement.targetValue,
        },
        reward: {
          type: view.goal.reward.type,
          rewardId: view.goal.reward.rewardId,
          quantity: view.goal.reward.quantity,
        },
      })),
      newAssignments: 3,
      totalActive: 12,
    };
    const json = encodeInitializeJson(defs, { assignedGoals, newAssignments: 3, totalActive: 12 });
    expect(text(json)).toBe(JSON.stringify(plain));
  });
});
