import type { z } from 'zod';
import { CoreError, isCoreError } from '../errors.ts';
import { buildLocalization, resolveDefaultLocale } from '../i18n/build-localization.ts';
import type { Localization } from '../i18n/i18n.types.ts';
import { resolveChallengeTexts, resolveGoalTexts } from '../i18n/resolve-texts.ts';
import { scheduleProblems } from '../schedule/check-schedule.ts';
import { scheduleWindowOf } from '../schedule/schedule-window.ts';
import {
  challengeProblem,
  checkGoalReferences,
  checkUniqueChallengeIds,
  type GoalRef,
  goalProblem,
} from './check-definitions.ts';
import {
  challengeHeaderSchema,
  DEFINITION_LIMITS,
  definitionsFileHeaderSchema,
  describeIssue,
  goalSchema,
  isRecord,
} from './definitions.schema.ts';
import type { ChallengeDef, Definitions, GoalDef } from './definitions.types.ts';
import { normalizeGoal } from './normalize-goal.ts';
import { normalizeKeys } from './normalize-keys.ts';

function messages(error: z.ZodError): string[] {
  return error.issues.map((issue) => issue.message);
}

/** How a problem names an entity whose id is missing or bad: its id if usable, else `#n`. */
export function problemLabel(value: unknown, key: 'challengeId' | 'goalId', index: number): string {
  const id = isRecord(value) ? value[key] : undefined;
  return typeof id === 'string' && id.trim() !== '' && id.length <= DEFINITION_LIMITS.idLength
    ? id
    : `#${index + 1}`;
}

interface Collected {
  challenges: ChallengeDef[];
  goalRefs: GoalRef[];
  challengeIds: string[];
  knownGoalIds: Set<string>;
  problems: string[];
  /** i18n: the file's default locale and every locale its text maps name. */
  defaultLocale: string;
  locales: Set<string>;
}

function collectChallenge(raw: unknown, index: number, into: Collected): void {
  const challengeId = problemLabel(raw, 'challengeId', index);
  into.challengeIds.push(challengeId);
  const header = challengeHeaderSchema.safeParse(raw, { error: describeIssue });
  if (!header.success) {
    for (const message of messages(header.error)) {
      into.problems.push(challengeProblem(challengeId, message));
    }
  }
  const rawGoals = isRecord(raw) && Array.isArray(raw.goals) ? raw.goals : [];
  const i18n = { defaultLocale: into.defaultLocale, limits: DEFINITION_LIMITS };
  const texts = header.success
    ? resolveChallengeTexts({ ...header.data, goalCount: rawGoals.length }, i18n)
    : null;
  for (const message of texts?.problems ?? []) {
    into.problems.push(challengeProblem(challengeId, message));
  }
  for (const locale of texts?.locales ?? []) into.locales.add(locale);
  const goals: GoalDef[] = [];
  rawGoals.forEach((rawGoal, goalIndex) => {
    const goalId = problemLabel(rawGoal, 'goalId', goalIndex);
    into.knownGoalIds.add(goalId);
    const parsed = goalSchema.safeParse(rawGoal, { error: describeIssue });
    if (!parsed.success) {
      for (const message of messages(parsed.error)) {
        into.problems.push(goalProblem(challengeId, goalId, message));
      }
      return;
    }
    const goalTexts = resolveGoalTexts(parsed.data, i18n);
    for (const locale of goalTexts.locales) into.locales.add(locale);
    const { goal: plain, problems } = normalizeGoal(
      { ...parsed.data, name: goalTexts.name, description: goalTexts.description },
      challengeId,
    );
    problems.unshift(...goalTexts.problems);
    for (const message of problems) into.problems.push(goalProblem(challengeId, goalId, message));
    const goal = goalTexts.text ? Object.freeze({ ...plain, text: goalTexts.text }) : plain;
    goals.push(goal);
    into.goalRefs.push(goal);
  });
  if (texts !== null && header.success && goals.length === rawGoals.length) {
    const challenge: ChallengeDef = {
      challengeId: header.data.challengeId,
      name: texts.name,
      description: texts.description,
      goals: Object.freeze(goals),
    };
    if (texts.text) challenge.text = texts.text;
    if (header.data.audience !== undefined) challenge.audience = header.data.audience;
    const schedule = scheduleWindowOf(header.data.schedule);
    if (schedule !== undefined) challenge.schedule = schedule;
    into.problems.push(...scheduleProblems(challenge));
    into.challenges.push(Object.freeze(challenge));
  }
}

/** Builds the lookup maps every rule uses, from validated challenges. */
export function indexDefinitions(
  challenges: readonly ChallengeDef[],
  localization?: Localization,
): Definitions {
  const challengesById = new Map<string, ChallengeDef>();
  const goalsById = new Map<string, GoalDef>();
  const goalsByStatCode = new Map<string, GoalDef[]>();
  const loginGoals: GoalDef[] = [];
  for (const challenge of challenges) {
    challengesById.set(challenge.challengeId, challenge);
    for (const goal of challenge.goals) {
      goalsById.set(goal.goalId, goal);
      if (goal.eventSource === 'login') {
        loginGoals.push(goal);
        continue;
      }
      const list = goalsByStatCode.get(goal.requirement.statCode);
      if (list) list.push(goal);
      else goalsByStatCode.set(goal.requirement.statCode, [goal]);
    }
  }
  for (const list of goalsByStatCode.values()) Object.freeze(list);
  const definitions: Definitions = {
    challenges: Object.freeze([...challenges]),
    challengesById,
    goalsById,
    goalsByStatCode,
    loginGoals: Object.freeze(loginGoals),
  };
  if (localization) definitions.localization = localization;
  return Object.freeze(definitions);
}

function fail(problems: readonly string[]): never {
  throw new CoreError('INVALID_DEFINITIONS', problems[0] ?? 'invalid definitions', problems);
}

/**
 * Validates a definitions file (already parsed from JSON) and returns it normalised, frozen and
 * indexed. Throws CoreError INVALID_DEFINITIONS whose message is the first problem and whose
 * details list every problem found, each naming its challenge and goal.
 */
export function parseDefinitions(raw: unknown): Definitions {
  const input = normalizeKeys(raw);
  if (!isRecord(input)) fail(['definitions must be a JSON object with a "challenges" array']);
  const file = definitionsFileHeaderSchema.safeParse(input, { error: describeIssue });
  if (!file.success) fail(messages(file.error));

  const goalCount = file.data.challenges.reduce<number>(
    (sum, challenge) =>
      sum + (isRecord(challenge) && Array.isArray(challenge.goals) ? challenge.goals.length : 0),
    0,
  );
  if (goalCount > DEFINITION_LIMITS.goals) {
    fail([`at most ${DEFINITION_LIMITS.goals} goals are allowed (found ${goalCount})`]);
  }

  const defaultLocale = resolveDefaultLocale(file.data.defaultLocale);
  if (defaultLocale === null) {
    fail([`defaultLocale '${file.data.defaultLocale}' is not a valid locale tag (e.g. "en")`]);
  }
  const collected: Collected = {
    challenges: [],
    goalRefs: [],
    challengeIds: [],
    knownGoalIds: new Set(),
    problems: [],
    defaultLocale,
    locales: new Set(),
  };
  file.data.challenges.forEach((challenge, index) => {
    collectChallenge(challenge, index, collected);
  });
  const problems = [
    ...collected.problems,
    ...checkUniqueChallengeIds(collected.challengeIds),
    ...checkGoalReferences(collected.goalRefs, collected.knownGoalIds),
  ];
  const localization = buildLocalization({
    declared: file.data.defaultLocale !== undefined,
    defaultLocale,
    locales: collected.locales,
    problems,
  });
  if (problems.length > 0) fail(problems);
  return indexDefinitions(collected.challenges, localization);
}

/** parseDefinitions for the text of a file; malformed JSON is an INVALID_DEFINITIONS error too. */
export function parseDefinitionsJson(text: string): Definitions {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    fail([`definitions are not valid JSON: ${reason}`]);
  }
  return parseDefinitions(raw);
}

/**
 * Every validation problem of `raw` (empty when it is valid definitions). The api stores and
 * publishes by it, and the dashboard runs the same function while live-ops type.
 */
export function definitionProblems(raw: unknown): string[] {
  try {
    parseDefinitions(raw);
    return [];
  } catch (error) {
    if (isCoreError(error) && error.code === 'INVALID_DEFINITIONS') {
      return error.details.length > 0 ? [...error.details] : [error.message];
    }
    throw error;
  }
}
