/**
 * fast-check generators for the oracle property test: small definitions over 2–3 stat codes
 * and logins in every mode, and operation sequences whose clock crosses day, week and month
 * boundaries (DST zones included, and now and then a QA clock set back).
 */
import fc from 'fast-check';
import type {
  Definitions,
  GoalDef,
  GoalVariant,
  Rotation,
} from '../definitions/definitions.types.ts';
import { makeDefinitions, makeGoal } from './builders.ts';

export const STAT_CODES = ['a', 'b', 'c'] as const;
export const USERS = ['u1', 'u2', 'u3'] as const;
const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Pacific/Chatham',
] as const;
// Near DST changes (US 8 Mar, EU 29 Mar and 25 Oct, Lord Howe 4 Oct 2026), month and year ends.
const STARTS = [
  '2026-03-07T18:00:00Z',
  '2026-03-28T20:00:00Z',
  '2026-10-03T12:00:00Z',
  '2026-10-24T21:00:00Z',
  '2026-12-31T18:00:00Z',
  '2026-02-27T23:00:00Z',
].map((iso) => Date.parse(iso));

type Zones = readonly [string, string];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// The zone is an index into the scenario's two zones: every distinct rotation setting costs a
// luxon period computation whenever the clock moves, and two zones per scenario cover DST.
const rotationArb = fc.record({
  schedule: fc.constantFrom('daily', 'daily', 'weekly', 'monthly'),
  zone: fc.nat(1),
  weekStartsOn: fc.constantFrom('monday', 'sunday', 'thursday'),
  resetProgress: fc.boolean(),
  allowReselection: fc.boolean(),
});

const goalSpecArb = fc.record({
  login: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
  code: fc.nat(2),
  kind: fc.constantFrom('plain', 'plain', 'plain', 'daily', 'first_event'),
  mode: fc.constantFrom('absolute', 'relative', 'increment'),
  target: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 6 }) }, fc.constant(50)),
  rotation: fc.option(rotationArb, { nil: null, freq: 2 }),
  defaultAssigned: fc.boolean(),
  // One goal in four waits for an earlier one.
  prerequisite: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, fc.nat()),
  challenge: fc.nat(1),
  // One goal in four runs an A/B test: per-row targets (null: the goal's) and rewards.
  variants: fc.option(
    fc.array(
      fc.record({
        weight: fc.integer({ min: 1, max: 3 }),
        target: fc.option(fc.integer({ min: 1, max: 8 }), { nil: null }),
      }),
      { minLength: 2, maxLength: 3 },
    ),
    { nil: null, freq: 4 },
  ),
});
export type GoalSpec = typeof goalSpecArb extends fc.Arbitrary<infer T> ? T : never;

/** A valid goal from a spec (the normaliser's rules: absolute goals only rotate as legacy daily). */
function goalOf(
  spec: GoalSpec,
  index: number,
  scenario: { codes: number; zones: Zones },
  earlier: string[],
): GoalDef {
  const goalId = `g${index}`;
  const firstEvent = spec.kind === 'first_event';
  const daily = spec.kind === 'daily';
  const progressMode = daily ? 'increment' : spec.mode;
  let rotation: Rotation | null = null;
  if (spec.rotation) {
    const { zone, ...settings } = spec.rotation;
    rotation = { ...settings, timezone: scenario.zones[zone]! };
  }
  if (firstEvent && rotation === null) {
    rotation = {
      schedule: 'daily',
      timezone: 'UTC',
      weekStartsOn: 'monday',
      resetProgress: true,
      allowReselection: true,
    };
  }
  if (progressMode === 'absolute' && !firstEvent) rotation = null;
  const prerequisite =
    spec.prerequisite !== null && earlier.length > 0
      ? [earlier[spec.prerequisite % earlier.length]!]
      : [];
  return makeGoal({
    goalId,
    challengeId: `c${spec.challenge}`,
    eventSource: spec.login ? 'login' : 'statistic',
    requirement: {
      statCode: spec.login ? 'login_count' : STAT_CODES[spec.code % scenario.codes]!,
      targetValue: spec.target,
      progressMode,
    },
    defaultAssigned: spec.defaultAssigned,
    prerequisites: prerequisite,
    rotation,
    dailyIncrement: daily,
    completesOnFirstEvent: firstEvent,
    ...(spec.variants === null ? {} : { variants: variantsOf(spec.variants) }),
  });
}

function variantsOf(specs: NonNullable<GoalSpec['variants']>): GoalVariant[] {
  return specs.map((v, i) => ({
    variantId: `v${i}`,
    weight: v.weight,
    targetValue: v.target,
    reward: i === 0 ? null : { type: 'ITEM', rewardId: `reward-v${i}`, quantity: i },
    name: i === 0 ? null : `variant ${i}`,
    description: null,
  }));
}

const setupArb = fc.record({
  codes: fc.integer({ min: 2, max: 3 }),
  zones: fc.tuple(fc.constantFrom(...ZONES), fc.constantFrom(...ZONES)),
  specs: fc.array(goalSpecArb, { minLength: 2, maxLength: 7 }),
});

function definitionsOf({
  specs,
  ...scenario
}: typeof setupArb extends fc.Arbitrary<infer T> ? T : never): Definitions {
  const ids: string[] = [];
  const goals = specs.map((spec, i) => {
    const goal = goalOf(spec, i, scenario, ids);
    ids.push(goal.goalId);
    return goal;
  });
  return makeDefinitions(goals);
}

/**
 * The definitions after a publish that redefines one goal from `spec` (source, stat, mode,
 * target, legacy flags, rotation); its id, challenge, prerequisites and assignment stay.
 */
export function republish(
  definitions: Definitions,
  index: number,
  spec: GoalSpec,
  zones: Zones,
): Definitions {
  const goals = [...definitions.goalsById.values()];
  const old = goals[index % goals.length]!;
  const redefined = goalOf(spec, 0, { codes: STAT_CODES.length, zones }, []);
  const { goalId, challengeId, prerequisites, defaultAssigned } = old;
  const goal = { ...redefined, goalId, challengeId, prerequisites, defaultAssigned };
  return makeDefinitions(goals.map((g) => (g.goalId === goalId ? goal : g)));
}

const valueArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -2, max: 10 }) },
  { weight: 3, arbitrary: fc.integer({ min: -6, max: 20 }).map((n) => n / 2 + 0.25) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(2_147_483_647, 2_147_483_648.5, 1e10, -1e10, -2_147_483_649),
  },
);
const incArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 4 }) },
  { weight: 2, arbitrary: fc.constantFrom(-2, 0.5, 1.7, 2.5) },
  { weight: 1, arbitrary: fc.constantFrom(1e10, 2_147_483_647) },
);

// Most events go to the first player so that her rows see long histories.
const eventUser = fc.constantFrom(0, 0, 0, 0, 1, 1, 1, 2);

const eventSpecArb = fc.record({
  user: eventUser,
  login: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  /** STAT_CODES.length means a stat no goal tracks. */
  code: fc.nat(STAT_CODES.length),
  value: fc.option(valueArb, { nil: undefined, freq: 3 }),
  inc: fc.option(incArb, { nil: undefined, freq: 2 }),
  /** Re-sends the previous event's id (a producer retry inside one flush). */
  repeat: fc.integer({ min: 0, max: 15 }).map((n) => n === 0),
});
export type EventSpec = typeof eventSpecArb extends fc.Arbitrary<infer T> ? T : never;

/** Milliseconds the clock moves before an operation: mostly forward, rarely set back. */
const stepArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 59 }).map((m) => m * MINUTE) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 23 }).map((h) => h * HOUR + 7 * MINUTE) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 3 }).map((d) => d * DAY) },
  { weight: 1, arbitrary: fc.constantFrom(7 * DAY, 31 * DAY) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 50 }).map((h) => -h * HOUR) },
);

const user = fc.nat(USERS.length - 1);
const goal = fc.nat();
export const opArb = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('events' as const),
      dt: stepArb,
      events: fc.array(eventSpecArb, { minLength: 1, maxLength: 6 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('setActive' as const),
      dt: stepArb,
      user,
      goal,
      isActive: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('batchSelect' as const),
      dt: stepArb,
      user,
      challenge: fc.nat(1),
      goals: fc.array(goal, { minLength: 1, maxLength: 3 }),
      replace: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('randomSelect' as const),
      dt: stepArb,
      user,
      challenge: fc.nat(1),
      count: fc.integer({ min: 1, max: 3 }),
      replace: fc.boolean(),
      excludeActive: fc.boolean(),
      seed: fc.nat(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('initialize' as const), dt: stepArb, user }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('claim' as const),
      dt: stepArb,
      user: eventUser,
      goal,
      preferCompleted: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('reset' as const), dt: stepArb, user, goal }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), dt: stepArb, user }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('publish' as const),
      dt: stepArb,
      goal,
      spec: goalSpecArb,
    }),
  },
);
export type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

export const scenarioArb = fc
  .record({
    setup: setupArb,
    start: fc
      .tuple(fc.constantFrom(...STARTS), fc.integer({ min: 0, max: 48 * 60 }))
      .map(([t, m]) => t + m * MINUTE),
    // Players start as a client would: initialize first (default goals assigned).
    ops: fc
      .array(opArb, { minLength: 6, maxLength: 30 })
      .map((ops): Op[] => [
        { kind: 'initialize', dt: 0, user: 0 },
        { kind: 'initialize', dt: 0, user: 1 },
        ...ops,
      ]),
  })
  .map(({ setup, start, ops }) => ({
    definitions: definitionsOf(setup),
    zones: setup.zones as Zones,
    start,
    ops,
  }));
export type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;
