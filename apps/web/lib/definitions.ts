// The draft may be work in progress (invalid on purpose), so the editor works on loose shapes
// and leaves validation to the api, which answers with every problem.

export interface GoalDraft {
  goalId: string;
  name?: string;
  description?: string;
  requirement?: { statCode?: string; operator?: string; targetValue?: number };
  reward?: { type?: string; rewardId?: string; quantity?: number };
  [key: string]: unknown;
}

export interface ChallengeDraft {
  challengeId: string;
  name?: string;
  description?: string;
  goals?: GoalDraft[];
  [key: string]: unknown;
}

export interface DefinitionsDraft {
  challenges: ChallengeDraft[];
  [key: string]: unknown;
}

export function asDefinitions(content: unknown): DefinitionsDraft | null {
  if (typeof content === 'string') {
    try {
      return asDefinitions(JSON.parse(content));
    } catch {
      return null;
    }
  }
  if (typeof content !== 'object' || content === null) return null;
  const challenges = (content as { challenges?: unknown }).challenges;
  return Array.isArray(challenges) ? (content as DefinitionsDraft) : null;
}

/**
 * Problems name their goal and challenge ("invalid goal 'g' in challenge 'c': …"), which is
 * how the form puts each one next to the field it is about.
 */
export function problemsFor(problems: string[], challengeId: string, goalId?: string): string[] {
  const prefix =
    goalId === undefined
      ? `invalid challenge '${challengeId}':`
      : `invalid goal '${goalId}' in challenge '${challengeId}':`;
  return problems.filter((problem) => problem.startsWith(prefix));
}

/** Problems that no challenge or goal of the content claims, shown above the form. */
export function generalProblems(problems: string[]): string[] {
  return problems.filter(
    (problem) => !problem.startsWith('invalid goal ') && !problem.startsWith('invalid challenge '),
  );
}

export function updateGoal(
  content: DefinitionsDraft,
  challengeIndex: number,
  goalIndex: number,
  change: (goal: GoalDraft) => GoalDraft,
): DefinitionsDraft {
  return {
    ...content,
    challenges: content.challenges.map((challenge, ci) =>
      ci !== challengeIndex
        ? challenge
        : {
            ...challenge,
            goals: (challenge.goals ?? []).map((goal, gi) =>
              gi === goalIndex ? change(goal) : goal,
            ),
          },
    ),
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

/** Saves a file through the browser (export), without a server round trip for the bytes. */
export function downloadJson(fileName: string, value: unknown): void {
  const blob = new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}
