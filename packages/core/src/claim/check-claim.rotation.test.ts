import { describe, expect, it } from 'vitest';
import type { ProgressMode, Schedule } from '../definitions/definitions.types.ts';
import { CoreError } from '../errors.ts';
import { applyStatEvent } from '../progress/apply-event.ts';
import type { Assignment } from '../progress/progress.types.ts';
import { rotateAssignment } from '../progress/view-assignment.ts';
import { periodAt } from '../rotation/rotation-period.ts';
import { makeDefinitions, makeGoal, makeRotation, makeRow } from '../testing/builders.ts';
import { checkClaim } from './check-claim.ts';

// Claim check (4) (docs/api.md): a completion (or claim) of an earlier period that rotation reopens must be
// re-completed. The claim must see that whether the row is still stale, or was already moved
// into the new period by initialize (rotateAssignment written back) or by an event.
const now = new Date('2026-01-10T12:00:00Z');
const claimedAt = new Date('2026-01-09T11:22:33Z');
const TARGET = 10;

type Path = 'stale' | 'initialize' | 'event';
const modes: ProgressMode[] = ['increment', 'relative'];
const schedules: Schedule[] = ['daily', 'weekly'];
const flags = [
  { resetProgress: true, allowReselection: true },
  { resetProgress: true, allowReselection: false },
  { resetProgress: false, allowReselection: true },
  { resetProgress: false, allowReselection: false },
];

function scenario(mode: ProgressMode, schedule: Schedule, flag: (typeof flags)[number]) {
  const rotation = makeRotation({ schedule, ...flag });
  const goal = makeGoal({
    goalId: 'g1',
    requirement: { progressMode: mode, targetValue: TARGET },
    rotation,
  });
  const current = periodAt({ rotation, now });
  const previous = periodAt({ rotation, now: new Date(current.start.getTime() - 1) });
  return { goal, definitions: makeDefinitions([goal]), current, previous };
}

type Scenario = ReturnType<typeof scenario>;

/** A row completed (or claimed) in the previous period, then brought to `now` along `path`. */
function rowAfter(s: Scenario, status: 'completed' | 'claimed', path: Path): Assignment {
  const stale = makeRow({
    progress: TARGET,
    status,
    completedAt: new Date(s.previous.start.getTime() + 1000),
    claimedAt: status === 'claimed' ? claimedAt : null,
    baseline: s.goal.requirement.progressMode === 'relative' ? 40 : null,
    periodKey: s.previous.key,
    expiresAt: s.previous.end,
  });
  const movedAt = new Date(s.current.start.getTime() + 60_000);
  if (path === 'stale') return stale;
  if (path === 'initialize') return rotateAssignment({ goal: s.goal, row: stale, now: movedAt })!;
  // relative: the first event of the period only takes the baseline (progress 0, not_started);
  // increment: it counts one (in_progress).
  const relative = s.goal.requirement.progressMode === 'relative';
  return applyStatEvent({
    goal: s.goal,
    row: stale,
    value: relative ? 55 : 1,
    inc: relative ? 0 : 1,
    now: movedAt,
  });
}

function claim(s: Scenario, row: Assignment) {
  try {
    return checkClaim({
      definitions: s.definitions,
      challengeId: 'c1',
      goalId: 'g1',
      row,
      viewsByGoalId: new Map(),
      now,
    });
  } catch (error) {
    expect(error).toBeInstanceOf(CoreError);
    return (error as CoreError).code;
  }
}

describe('checkClaim (4) across rotation settings', () => {
  for (const mode of modes) {
    for (const schedule of schedules) {
      for (const flag of flags) {
        for (const status of ['completed', 'claimed'] as const) {
          const reopens = status === 'claimed' ? flag.allowReselection : flag.resetProgress;
          const expected = reopens
            ? 'GOAL_ROTATED'
            : status === 'claimed'
              ? 'ALREADY_CLAIMED'
              : 'claimable';
          const name = `${mode} ${schedule} reset=${flag.resetProgress} reselect=${flag.allowReselection}, ${status} last period → ${expected}`;
          it(name, () => {
            const s = scenario(mode, schedule, flag);
            for (const path of ['stale', 'initialize', 'event'] as const) {
              const answer = claim(s, rowAfter(s, status, path));
              const outcome = typeof answer === 'string' ? answer : 'claimable';
              expect(outcome, `row reached now by: ${path}`).toBe(expected);
              if (typeof answer !== 'string') expect(answer.row.periodKey).toBe(s.current.key);
            }
          });
        }
      }
    }
  }
});

describe('checkClaim (4) after the reopened goal moves on', () => {
  const s = scenario('increment', 'daily', { resetProgress: true, allowReselection: true });

  it('is claimable again once re-completed in the new period', () => {
    for (const status of ['completed', 'claimed'] as const) {
      let row = rowAfter(s, status, 'initialize');
      expect(row.reopenedAt).not.toBeNull();
      row = applyStatEvent({ goal: s.goal, row, value: 0, inc: TARGET, now });
      expect(row).toMatchObject({ status: 'completed', reopenedAt: null });
      const answer = claim(s, row);
      expect(typeof answer === 'string' ? answer : 'claimable').toBe('claimable');
    }
  });

  it('answers not completed, not rotated, for a row that never lived through a rotation', () => {
    const fresh = makeRow({ periodKey: s.current.key, expiresAt: s.current.end });
    expect(claim(s, fresh)).toBe('NOT_COMPLETED');
    expect(claim(s, { ...fresh, status: 'in_progress', progress: 3 })).toBe('NOT_COMPLETED');
  });

  it('judges a reopened row by its status once a later publish removed the rotation', () => {
    // The row was reopened while the goal rotated; the goal no longer does.
    const plain = makeGoal({
      goalId: 'g1',
      requirement: { progressMode: 'increment', targetValue: TARGET },
    });
    const unrotated = { ...s, goal: plain, definitions: makeDefinitions([plain]) };
    const reopened = rowAfter(s, 'completed', 'event');
    expect(reopened).toMatchObject({ status: 'in_progress' });
    expect(reopened.reopenedAt).not.toBeNull();
    expect(claim(s, reopened)).toBe('GOAL_ROTATED');
    expect(claim(unrotated, { ...reopened, periodKey: null, expiresAt: null })).toBe(
      'NOT_COMPLETED',
    );
  });

  it('answers rotated for a stale unfinished row that rotation resets, and keeps one that it carries', () => {
    const unfinished = makeRow({
      progress: 3,
      status: 'in_progress',
      periodKey: s.previous.key,
      expiresAt: s.previous.end,
    });
    expect(claim(s, unfinished)).toBe('GOAL_ROTATED');
    const keep = scenario('increment', 'daily', { resetProgress: false, allowReselection: true });
    expect(claim(keep, { ...unfinished, periodKey: keep.previous.key })).toBe('NOT_COMPLETED');
  });
});
