import { problemLabel } from '@challenges/core/definitions';
import type { LocalizedDraftText } from './localized-text';

// The draft may be work in progress (invalid on purpose), so the editor works on loose shapes
// and leaves validation to core's definitionProblems (the api's own check, also run while typing).

export interface GoalDraft {
  goalId: string;
  name?: LocalizedDraftText;
  description?: LocalizedDraftText;
  eventSource?: string;
  requirement?: {
    statCode?: string;
    operator?: string;
    targetValue?: number;
    progressMode?: string;
  };
  reward?: { type?: string; rewardId?: string; quantity?: number };
  prerequisites?: string[];
  defaultAssigned?: boolean;
  rotation?: RotationDraft;
  /** Legacy goal type of the original's files: absolute | increment | daily. */
  type?: string;
  /** Legacy, with type increment: at most +1 per day. */
  daily?: boolean;
  [key: string]: unknown;
}

export interface RotationDraft {
  enabled?: boolean;
  type?: string;
  schedule?: string;
  timezone?: string;
  weekStartsOn?: string;
  onExpiry?: { resetProgress?: boolean; allowReselection?: boolean };
  [key: string]: unknown;
}

export interface ChallengeDraft {
  challengeId: string;
  name?: LocalizedDraftText;
  description?: LocalizedDraftText;
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function goalFits(goal: unknown): boolean {
  if (!isObject(goal)) return false;
  const nested = [goal.requirement, goal.reward, goal.rotation];
  return (
    nested.every((value) => value === undefined || isObject(value)) &&
    (goal.prerequisites === undefined || Array.isArray(goal.prerequisites))
  );
}

/**
 * Whether the form can show every part of the draft: JSON may hold a goal that is a string or
 * prerequisites that are no list, which only the JSON view can show (and validation names).
 */
export function fitsForm(content: DefinitionsDraft): boolean {
  return content.challenges.every(
    (challenge) =>
      isObject(challenge) &&
      (challenge.goals === undefined ||
        (Array.isArray(challenge.goals) && challenge.goals.every(goalFits))),
  );
}

/**
 * Problems name their goal and challenge ("invalid goal 'g' in challenge 'c': …"), which is
 * how the form puts each one next to the field it is about. A missing or bad id is named by
 * position (`#2`), as core names it.
 */
export function problemsFor(
  problems: string[],
  challenge: { value: ChallengeDraft; index: number },
  goal?: { value: GoalDraft; index: number },
): string[] {
  const challengeId = problemLabel(challenge.value, 'challengeId', challenge.index);
  const prefix =
    goal === undefined
      ? `invalid challenge '${challengeId}':`
      : `invalid goal '${problemLabel(goal.value, 'goalId', goal.index)}' in challenge '${challengeId}':`;
  return problems.filter((problem) => problem.startsWith(prefix));
}

/** Problems that no challenge or goal of the content claims, shown above the form. */
export function generalProblems(problems: string[]): string[] {
  return problems.filter(
    (problem) => !problem.startsWith('invalid goal ') && !problem.startsWith('invalid challenge '),
  );
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
