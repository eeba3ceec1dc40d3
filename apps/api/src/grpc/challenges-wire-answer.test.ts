import { assignmentViews, buildChallengeViews } from '@challenges/core';
import {
  makeDefinitions,
  makeGoal,
  makeRow,
  plainChallengesResponse,
} from '@challenges/core/testing';
import { describe, expect, it } from 'vitest';
import { GetChallengesResponse } from '../gen/service/service.js';
import { encodeChallengesWire } from './challenges-wire.ts';
import { serializeChallengesWire } from './challenges-wire-answer.ts';

const now = new Date('2026-03-10T12:00:00Z');
const goals = Array.from({ length: 300 }, (_, i) =>
  makeGoal({ goalId: `g${i}`, challengeId: `c${i % 3}`, name: `Goal ${i}` }),
);
const definitions = makeDefinitions(goals);
const viewsOf = (progress: number) =>
  buildChallengeViews({
    definitions,
    views: assignmentViews({
      definitions,
      rows: goals
        .slice(0, 40)
        .map((g) => makeRow({ goalId: g.goalId, challengeId: g.challengeId, progress })),
      now,
    }),
    now,
    activeOnly: false,
  });

describe('serializeChallengesWire', () => {
  it("gives each answer's protobuf bytes, every call in one reused buffer", () => {
    const one = { definitions, views: viewsOf(1) };
    const two = { definitions, views: viewsOf(7) };
    const first = serializeChallengesWire(one);
    const firstCopy = Buffer.from(first);
    expect(firstCopy.equals(Buffer.from(encodeChallengesWire(definitions, one.views)))).toBe(true);
    const second = serializeChallengesWire(two);
    expect(second.equals(Buffer.from(encodeChallengesWire(definitions, two.views)))).toBe(true);
    expect(firstCopy.equals(second)).toBe(false);
    // No allocation per call: both answers were written into the same memory.
    expect(second.buffer).toBe(first.buffer);
    expect(second.byteOffset).toBe(first.byteOffset);
  });

  it('passes bytes through', () => {
    const bytes = Buffer.from([1, 2, 3]);
    expect(serializeChallengesWire(bytes)).toBe(bytes);
  });
});

describe('runs of unassigned goals in the protobuf answer', () => {
  it("are ts-proto's bytes however a view breaks them", () => {
    // Rows at 0–39 (of challenges c0–c2), a view without g100 and g101: neighbours in the view
    // that are not neighbours in the definitions must be two runs.
    const views = viewsOf(3).map((c) => ({
      ...c,
      goals: c.goals.filter((g) => g.goal.goalId !== 'g100' && g.goal.goalId !== 'g101'),
    }));
    // fromPartial: the proto3 defaults of fields REST leaves out (ended, variantId).
    const message = GetChallengesResponse.fromPartial(plainChallengesResponse(views));
    const expected = GetChallengesResponse.encode(message).finish();
    expect(
      Buffer.from(encodeChallengesWire(definitions, views)).equals(Buffer.from(expected)),
    ).toBe(true);
  });
});
