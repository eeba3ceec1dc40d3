import {
  assignmentViews,
  buildChallengeViews,
  type ChallengeDef,
  type ChallengeView,
  type GoalDef,
  type GoalStatus,
  type GoalView,
  indexDefinitions,
} from '@challenges/core';
import {
  makeDefinitions,
  makeGoal,
  makeRotation,
  makeRow,
  plainChallengesResponse,
} from '@challenges/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GetChallengesResponse } from '../gen/service/service.js';
import { encodeChallengesWire, ProtoWriter } from './challenges-wire.ts';

/**
 * The spliced bytes decode (generated decoder) to the message the service built before it
 * spliced bytes, field by field, and equal ts-proto's encoding of it.
 */
function expectSameAsOldPath(bytes: Uint8Array, views: readonly ChallengeView[]): void {
  // fromPartial: the proto3 defaults of fields REST leaves out (ended, variantId).
  const message = GetChallengesResponse.fromPartial(plainChallengesResponse(views));
  expect(GetChallengesResponse.decode(bytes)).toEqual(message);
  expect(
    Buffer.from(bytes).equals(Buffer.from(GetChallengesResponse.encode(message).finish())),
  ).toBe(true);
}

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

// Empty, ASCII, any code point (astral included), and long enough to need a 2-byte length.
const text = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', minLength: 70, maxLength: 200 }),
);
const int32 = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 200 }),
  fc.constantFrom(INT32_MIN, INT32_MAX, -1, 127, 128, 16_383, 16_384),
  fc.integer({ min: INT32_MIN, max: INT32_MAX }),
);
const date = fc.option(
  fc.date({
    min: new Date('1970-01-01T00:00:00Z'),
    max: new Date('2999-12-31T23:59:59Z'),
    noInvalidDate: true,
  }),
  { freq: 2 },
);
const status = fc.constantFrom<GoalStatus>('not_started', 'in_progress', 'completed', 'claimed');

const goalDef = (challengeId: string, index: number) =>
  fc
    .record({
      idSuffix: text,
      name: text,
      description: text,
      statCode: text,
      operator: fc.constant('>=' as const),
      targetValue: int32,
      type: fc.constantFrom('ITEM' as const, 'WALLET' as const),
      rewardId: text,
      quantity: int32,
      prerequisites: fc.array(text, { maxLength: 3 }),
    })
    .map(
      (g): GoalDef =>
        makeGoal({
          goalId: `${challengeId}/${index}${g.idSuffix}`,
          challengeId,
          name: g.name,
          description: g.description,
          requirement: { statCode: g.statCode, operator: g.operator, targetValue: g.targetValue },
          reward: { type: g.type, rewardId: g.rewardId, quantity: g.quantity },
          prerequisites: g.prerequisites,
        }),
    );

const challengeDef = (index: number) =>
  fc
    .record({ idSuffix: text, name: text, description: text, goalCount: fc.nat({ max: 6 }) })
    .chain(({ idSuffix, name, description, goalCount }) => {
      const challengeId = `c${index}${idSuffix}`;
      return fc
        .tuple(...Array.from({ length: goalCount }, (_, i) => goalDef(challengeId, i)))
        .map((goals): ChallengeDef => ({ challengeId, name, description, goals }));
    });

const noRow = (goal: GoalDef, locked: boolean): GoalView => ({
  goal,
  progress: 0,
  status: 'not_started',
  locked,
  completedAt: null,
  claimedAt: null,
  isActive: false,
  assignedAt: null,
  expiresAt: null,
  expiresInSeconds: 0,
});

/** One field of a row-less goal changed: the encoder must not take its whole pre-encoded entry. */
const nearlyNoRow = (goal: GoalDef) =>
  fc
    .tuple(
      fc.boolean(),
      fc.oneof(
        int32.filter((v) => v !== 0).map((progress) => ({ progress })),
        status.filter((v) => v !== 'not_started').map((status) => ({ status })),
        fc.constant({ isActive: true }),
        fc.date({ noInvalidDate: true, min: new Date(0) }).map((completedAt) => ({ completedAt })),
        fc.date({ noInvalidDate: true, min: new Date(0) }).map((claimedAt) => ({ claimedAt })),
        fc.date({ noInvalidDate: true, min: new Date(0) }).map((expiresAt) => ({ expiresAt })),
        fc.date({ noInvalidDate: true, min: new Date(0) }).map((assignedAt) => ({ assignedAt })),
        int32.filter((v) => v !== 0).map((expiresInSeconds) => ({ expiresInSeconds })),
      ),
    )
    .map(([locked, change]): GoalView => ({ ...noRow(goal, locked), ...change }));

/** A goal as one player may see it: no row (the shape the encoder has whole), or any state. */
const goalView = (goal: GoalDef) =>
  fc.oneof(
    fc.boolean().map((locked) => noRow(goal, locked)),
    nearlyNoRow(goal),
    fc
      .record({
        progress: int32,
        status,
        locked: fc.boolean(),
        completedAt: date,
        claimedAt: date,
        isActive: fc.boolean(),
        assignedAt: date,
        expiresAt: date,
        expiresInSeconds: fc.oneof(fc.constant(0), int32),
      })
      .map((v): GoalView => ({ goal, ...v })),
  );

/** Definitions, then a player's views: every challenge or some, each goal or a subset (activeOnly). */
const world = fc
  .integer({ min: 0, max: 4 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => challengeDef(i))))
  .chain((challenges) => {
    const definitions = indexDefinitions(challenges);
    const views = fc.tuple(
      ...challenges.map((challenge) =>
        fc
          .subarray([...challenge.goals])
          .chain((goals) => fc.tuple(...goals.map(goalView)))
          .map((goals): ChallengeView => ({ challenge, goals })),
      ),
    );
    return fc.record({ definitions: fc.constant(definitions), views });
  });

describe('GetUserChallenges spliced protobuf', () => {
  it('decodes to the message the ts-proto path builds, byte for byte the same, for any state', () => {
    fc.assert(
      fc.property(world, ({ definitions, views }) => {
        expectSameAsOldPath(encodeChallengesWire(definitions, views), views);
        // Again from the cache, with the same pieces spliced for a second player.
        expectSameAsOldPath(encodeChallengesWire(definitions, views), views);
      }),
      { numRuns: 500 },
    );
  });

  it('encodes views built from rows: rotation expiries, locked prerequisites, claimed goals', () => {
    const now = new Date('2026-03-10T12:34:56.789Z');
    const definitions = makeDefinitions([
      makeGoal({ goalId: 'a', challengeId: 'c1', name: 'Tutorial 🎮 ü', description: '' }),
      makeGoal({ goalId: 'b', challengeId: 'c1', prerequisites: ['a'] }),
      makeGoal({
        goalId: 'd',
        challengeId: 'c2',
        rotation: makeRotation({ schedule: 'daily', timezone: 'Asia/Kolkata' }),
        requirement: { progressMode: 'increment', targetValue: 3 },
      }),
      makeGoal({
        goalId: 'e',
        challengeId: 'c2',
        rotation: makeRotation({ schedule: 'weekly' }),
        requirement: { targetValue: 0 },
        reward: { type: 'WALLET', rewardId: '', quantity: 0 },
      }),
    ]);
    const players = [
      [],
      [
        makeRow({
          goalId: 'a',
          challengeId: 'c1',
          progress: 10,
          status: 'completed',
          completedAt: now,
        }),
      ],
      [
        makeRow({
          goalId: 'a',
          challengeId: 'c1',
          progress: 10,
          status: 'claimed',
          completedAt: now,
          claimedAt: now,
        }),
        makeRow({ goalId: 'b', challengeId: 'c1', progress: 3, status: 'in_progress' }),
        makeRow({
          goalId: 'd',
          challengeId: 'c2',
          progress: 1,
          status: 'in_progress',
          periodKey: 'stale',
        }),
        makeRow({ goalId: 'e', challengeId: 'c2', isActive: false }),
      ],
    ];
    for (const rows of players) {
      for (const activeOnly of [false, true]) {
        const views = buildChallengeViews({
          definitions,
          views: assignmentViews({ definitions, rows, now }),
          now,
          activeOnly,
        });
        expectSameAsOldPath(encodeChallengesWire(definitions, views), views);
      }
    }
  });

  it('writes a player’s A/B variant: its target, reward and text, and variant_id (field 31)', () => {
    const now = new Date('2026-03-10T12:34:56.789Z');
    const variant = (variantId: string, targetValue: number | null) => ({
      variantId,
      weight: 1,
      targetValue,
      reward: targetValue === null ? null : { type: 'ITEM' as const, rewardId: 'axe', quantity: 2 },
      name: targetValue === null ? null : `Variant ${variantId}`,
      description: null,
    });
    const definitions = makeDefinitions([
      makeGoal({
        goalId: 'ab',
        challengeId: 'c1',
        variants: [variant('x', 7), variant('y', null)],
      }),
    ]);
    for (const variantId of ['x', 'y', undefined]) {
      const row = makeRow({ goalId: 'ab', challengeId: 'c1', progress: 2, status: 'in_progress' });
      if (variantId !== undefined) row.variantId = variantId;
      const views = buildChallengeViews({
        definitions,
        views: assignmentViews({ definitions, rows: [row], now }),
        now,
        activeOnly: false,
      });
      const bytes = encodeChallengesWire(definitions, views);
      expectSameAsOldPath(bytes, views);
      const goal = GetChallengesResponse.decode(bytes).challenges[0]!.goals[0]!;
      expect(goal.variantId).toBe(variantId ?? '');
      expect(goal.requirement?.targetValue).toBe(variantId === 'x' ? 7 : 10);
    }
  });

  it('writes a challenge of hundreds of long goals (lengths of 2 and 3 bytes)', () => {
    const goals = Array.from({ length: 400 }, (_, i) =>
      makeGoal({ goalId: `g${i}`, challengeId: 'big', description: 'é'.repeat(200 + i) }),
    );
    const definitions = makeDefinitions(goals);
    const at = new Date('2026-01-01T00:00:00Z');
    const rows = goals
      .filter((_, i) => i % 3 === 0)
      .map((g) => makeRow({ goalId: g.goalId, challengeId: 'big', progress: 7, expiresAt: at }));
    const views = buildChallengeViews({
      definitions,
      views: assignmentViews({ definitions, rows: rows, now: at }),
      now: at,
      activeOnly: false,
    });
    const bytes = encodeChallengesWire(definitions, views);
    expect(bytes.length).toBeGreaterThan(0x4000 * 8);
    expectSameAsOldPath(bytes, views);
  });

  it('writes lengths across the 1-, 2- and 3-byte varint boundaries', () => {
    const lengths = [
      ...Array.from({ length: 300 }, (_, i) => i),
      ...Array.from({ length: 240 }, (_, i) => 16_250 + i),
      ...Array.from({ length: 30 }, (_, i) => 2_097_000 + i * 7),
    ];
    const at = new Date('2026-01-01T00:00:00Z');
    for (const length of lengths) {
      const definitions = makeDefinitions([
        makeGoal({ goalId: 'g', challengeId: 'c', description: 'd'.repeat(length) }),
      ]);
      for (const rows of [[], [makeRow({ goalId: 'g', challengeId: 'c', expiresAt: at })]]) {
        const views = buildChallengeViews({
          definitions,
          views: assignmentViews({ definitions, rows: rows, now: at }),
          now: at,
          activeOnly: false,
        });
        expectSameAsOldPath(encodeChallengesWire(definitions, views), views);
      }
    }
  });

  it('refuses a progress that is not an int32, as ts-proto does', () => {
    expect(() => new ProtoWriter(16).int32(56, 2 ** 31)).toThrow(/int32/);
    expect(() =>
      GetChallengesResponse.encode({ challenges: [] })
        .uint32(56)
        .int32(2 ** 31),
    ).toThrow();
  });
});
