'use client';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import {
  addGoal,
  type GoalPosition,
  moveGoal,
  removeChallenge,
  removeGoal,
  renameGoal,
  updateChallenge,
  updateGoal,
} from '@/lib/definition-edits';
import { type ChallengeDraft, type DefinitionsDraft, problemsFor } from '@/lib/definitions';
import { displayText, draftDefaultLocale } from '@/lib/localized-text';
import { plural } from '@/lib/plural';
import { AUDIENCE_FIELDS, AudienceEditor, audienceOf, withAudience } from './audience-editor';
import { Problems, sortProblems } from './form-fields';
import { GoalEditor } from './goal-editor';
import type { GoalMoves } from './goal-moves';
import type { GoalCounts } from './goal-stats';
import { LocalizedTextInput } from './localized-text-input';
import { type ScheduleDraft, ScheduleFields } from './schedule-fields';

const CHALLENGE_FIELDS = [
  'challengeId',
  'name',
  'description',
  'schedule',
  ...AUDIENCE_FIELDS,
] as const;

export interface SectionProps {
  content: DefinitionsDraft;
  index: number;
  /** Goal indexes to show (a search), or null for all. */
  shownGoals: number[] | null;
  open: boolean;
  readOnly: boolean;
  problems: string[];
  allGoalIds: string[];
  stats: Map<string, GoalCounts> | undefined;
  onToggle: () => void;
  onChange: (content: DefinitionsDraft) => void;
}

/** One challenge as a card that folds to its header: its fields, then its goals. */
export function ChallengeSection(props: SectionProps) {
  const { content, index, open, readOnly, onChange } = props;
  const challenge = content.challenges[index]!;
  const own = problemsFor(props.problems, { value: challenge, index });
  const inGoals = (challenge.goals ?? []).reduce(
    (sum, goal, gi) =>
      sum +
      problemsFor(props.problems, { value: challenge, index }, { value: goal, index: gi }).length,
    0,
  );
  return (
    <Card
      title={<FoldButton challenge={challenge} open={open} onToggle={props.onToggle} />}
      actions={
        <>
          {!open && own.length + inGoals > 0 && (
            <Badge tone="red">{plural(own.length + inGoals, 'problem')}</Badge>
          )}
          <Badge>{plural((challenge.goals ?? []).length, 'goal')}</Badge>
          {!readOnly && (
            <Button
              variant="ghost"
              size="sm"
              className="text-rose-600 hover:bg-rose-50"
              aria-label={`Remove challenge ${challenge.challengeId}`}
              onClick={() => onChange(removeChallenge(content, index))}
            >
              Remove
            </Button>
          )}
        </>
      }
    >
      {open && (
        <>
          <ChallengeFields {...props} problems={own} />
          <GoalList {...props} />
          {!readOnly && (
            <Button
              variant="secondary"
              size="sm"
              className="mt-3"
              onClick={() => onChange(addGoal(content, index))}
            >
              Add goal
            </Button>
          )}
        </>
      )}
    </Card>
  );
}

function FoldButton({
  challenge,
  open,
  onToggle,
}: {
  challenge: ChallengeDraft;
  open: boolean;
  onToggle: () => void;
}) {
  return (
    <button
      type="button"
      aria-expanded={open}
      className="flex items-center gap-2 text-left"
      onClick={onToggle}
    >
      <span aria-hidden className="w-3 text-slate-400">
        {open ? '▾' : '▸'}
      </span>
      {displayText(challenge.name) || challenge.challengeId}
      <code className="text-xs font-normal text-slate-500">{challenge.challengeId}</code>
    </button>
  );
}

/** @param props.problems the challenge's own problems (not its goals'). */
function ChallengeFields({ content, index, readOnly, problems, onChange }: SectionProps) {
  const challenge = content.challenges[index]!;
  const sorted = sortProblems(problems, CHALLENGE_FIELDS);
  const set = (change: Partial<ChallengeDraft>) =>
    onChange(updateChallenge(content, index, change));
  return (
    <>
      <div className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Input
          label="Challenge id"
          value={challenge.challengeId ?? ''}
          readOnly={readOnly}
          error={sorted.field('challengeId')}
          onChange={(e) => set({ challengeId: e.target.value })}
        />
        <LocalizedTextInput
          label="Challenge name"
          defaultLocale={draftDefaultLocale(content)}
          value={challenge.name}
          readOnly={readOnly}
          error={sorted.field('name')}
          onChange={(name) => set({ name })}
        />
        <LocalizedTextInput
          className="sm:col-span-2"
          label="Challenge description"
          defaultLocale={draftDefaultLocale(content)}
          value={challenge.description}
          readOnly={readOnly}
          error={sorted.field('description')}
          onChange={(description) => set({ description })}
        />
        <div className="sm:col-span-2 lg:col-span-4">
          <AudienceEditor
            label="Challenge audience"
            audience={audienceOf(challenge)}
            readOnly={readOnly}
            problems={sorted}
            onChange={(audience) =>
              onChange({
                ...content,
                challenges: content.challenges.map((c, ci) =>
                  ci === index ? withAudience(c, audience) : c,
                ),
              })
            }
          />
        </div>
      </div>
      <div className="mb-4">
        <ScheduleFields
          schedule={challenge.schedule as ScheduleDraft | undefined}
          readOnly={readOnly}
          problems={sorted}
          onChange={(schedule) => set({ schedule })}
        />
      </div>
      <Problems problems={sorted.rest} />
    </>
  );
}

function GoalList(props: SectionProps) {
  const { content, index, readOnly, onChange } = props;
  const challenge = content.challenges[index]!;
  const goals = challenge.goals ?? [];
  const shown = props.shownGoals ?? goals.map((_, gi) => gi);
  const movesOf = (gi: number): GoalMoves => {
    const at: GoalPosition = { challenge: index, goal: gi };
    return {
      up: gi > 0 ? () => onChange(moveGoal(content, at, { challenge: index, goal: gi - 1 })) : null,
      down:
        gi < goals.length - 1
          ? () => onChange(moveGoal(content, at, { challenge: index, goal: gi + 1 }))
          : null,
      targets: content.challenges.flatMap((other, ci) =>
        ci === index ? [] : [{ index: ci, label: displayText(other.name) || other.challengeId }],
      ),
      moveTo: (ci) =>
        onChange(
          moveGoal(content, at, {
            challenge: ci,
            goal: content.challenges[ci]?.goals?.length ?? 0,
          }),
        ),
      remove: () => onChange(removeGoal(content, at)),
    };
  };
  return (
    <ul className="space-y-3">
      {shown.map((gi) => {
        const goal = goals[gi]!;
        return (
          <GoalEditor
            // By position: ids are edited in place, and a key from them would remount the field typed in.
            key={gi}
            goal={goal}
            defaultLocale={draftDefaultLocale(content)}
            readOnly={readOnly}
            counts={props.stats?.get(goal.goalId)}
            allGoalIds={props.allGoalIds}
            problems={problemsFor(
              props.problems,
              { value: challenge, index },
              { value: goal, index: gi },
            )}
            moves={movesOf(gi)}
            onChange={(change) =>
              onChange(updateGoal(content, { challenge: index, goal: gi }, change))
            }
            onRename={(goalId) =>
              onChange(renameGoal(content, { challenge: index, goal: gi }, goalId))
            }
          />
        );
      })}
    </ul>
  );
}
