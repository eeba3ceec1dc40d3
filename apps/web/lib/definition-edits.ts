// Pure edits of a draft for the form. Each returns a new draft and leaves validation to
// `definitionProblems` (core), so an edit may leave the draft invalid on purpose.
import type { ChallengeDraft, DefinitionsDraft, GoalDraft } from './definitions';

export interface GoalPosition {
  challenge: number;
  goal: number;
}

function goalsOf(challenge: ChallengeDraft): GoalDraft[] {
  return challenge.goals ?? [];
}

function withGoals(
  content: DefinitionsDraft,
  change: (goals: GoalDraft[], challengeIndex: number) => GoalDraft[],
): DefinitionsDraft {
  return {
    ...content,
    challenges: content.challenges.map((challenge, ci) => {
      const goals = goalsOf(challenge);
      const next = change(goals, ci);
      return next === goals ? challenge : { ...challenge, goals: next };
    }),
  };
}

export function allGoalIds(content: DefinitionsDraft): string[] {
  return content.challenges.flatMap((challenge) => goalsOf(challenge).map((goal) => goal.goalId));
}

/** `base-1`, `base-2`, …: the first one nobody uses yet. */
function freeId(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  let n = 1;
  while (used.has(`${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}

function newGoal(goalId: string): GoalDraft {
  return {
    goalId,
    name: 'New goal',
    description: '',
    eventSource: 'login',
    requirement: { statCode: '', operator: '>=', targetValue: 1, progressMode: 'absolute' },
    reward: { type: 'WALLET', rewardId: '', quantity: 1 },
    prerequisites: [],
    defaultAssigned: false,
  };
}

export function updateChallenge(
  content: DefinitionsDraft,
  challengeIndex: number,
  change: Partial<ChallengeDraft>,
): DefinitionsDraft {
  return {
    ...content,
    challenges: content.challenges.map((challenge, ci) =>
      ci === challengeIndex ? { ...challenge, ...change } : challenge,
    ),
  };
}

export function updateGoal(
  content: DefinitionsDraft,
  at: GoalPosition,
  change: (goal: GoalDraft) => GoalDraft,
): DefinitionsDraft {
  return withGoals(content, (goals, ci) =>
    ci !== at.challenge ? goals : goals.map((goal, gi) => (gi === at.goal ? change(goal) : goal)),
  );
}

/** A new goal id, with every prerequisite that named the old one following it. */
export function renameGoal(
  content: DefinitionsDraft,
  at: GoalPosition,
  goalId: string,
): DefinitionsDraft {
  const before = content.challenges[at.challenge]?.goals?.[at.goal]?.goalId;
  const renamed = updateGoal(content, at, (goal) => ({ ...goal, goalId }));
  if (before === undefined || before === '') return renamed;
  return withGoals(renamed, (goals) =>
    goals.map((goal) =>
      goal.prerequisites?.includes(before)
        ? { ...goal, prerequisites: goal.prerequisites.map((p) => (p === before ? goalId : p)) }
        : goal,
    ),
  );
}

export function addGoal(content: DefinitionsDraft, challengeIndex: number): DefinitionsDraft {
  const goal = newGoal(freeId('goal', allGoalIds(content)));
  return withGoals(content, (goals, ci) => (ci === challengeIndex ? [...goals, goal] : goals));
}

export function removeGoal(content: DefinitionsDraft, at: GoalPosition): DefinitionsDraft {
  return withGoals(content, (goals, ci) =>
    ci === at.challenge ? goals.filter((_, gi) => gi !== at.goal) : goals,
  );
}

/**
 * Moves a goal to `to.goal` of `to.challenge` (reorder within a challenge, or a move to another
 * one, where it is inserted at that index). Progress is keyed by goal id, so a move keeps it.
 */
export function moveGoal(
  content: DefinitionsDraft,
  from: GoalPosition,
  to: GoalPosition,
): DefinitionsDraft {
  const moving = content.challenges[from.challenge]?.goals?.[from.goal];
  if (!moving) return content;
  const without = removeGoal(content, from);
  return withGoals(without, (goals, ci) =>
    ci === to.challenge ? [...goals.slice(0, to.goal), moving, ...goals.slice(to.goal)] : goals,
  );
}

export function addChallenge(content: DefinitionsDraft): DefinitionsDraft {
  const challenge: ChallengeDraft = {
    challengeId: freeId(
      'challenge',
      content.challenges.map((c) => c.challengeId),
    ),
    name: 'New challenge',
    description: '',
    goals: [newGoal(freeId('goal', allGoalIds(content)))],
  };
  return { ...content, challenges: [...content.challenges, challenge] };
}

export function removeChallenge(content: DefinitionsDraft, challengeIndex: number) {
  return { ...content, challenges: content.challenges.filter((_, ci) => ci !== challengeIndex) };
}
