'use client';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import {
  type DefinitionsDraft,
  type GoalDraft,
  problemsFor,
  updateChallenge,
  updateGoal,
} from '@/lib/definitions';
import { plural } from '@/lib/plural';
import { type GoalCounts, GoalStatsCells } from './goal-stats';

function numberOrNaN(text: string): number {
  // Keep what was typed (even "" or 0): the api says what is wrong with it, inline.
  return text.trim() === '' ? Number.NaN : Number(text);
}

/** A draft number as its input shows it: a cleared field (NaN) is empty and required. */
function numberField(value: number | undefined, readOnly: boolean) {
  const cleared = value !== undefined && Number.isNaN(value);
  return {
    value: value === undefined || cleared ? '' : String(value),
    error: cleared && !readOnly ? 'Required' : undefined,
  };
}

function Problems({ problems }: { problems: string[] }) {
  if (problems.length === 0) return null;
  return (
    <ul role="alert" className="mt-2 space-y-0.5 text-xs text-rose-600">
      {problems.map((problem) => (
        <li key={problem}>{problem.replace(/^invalid (goal|challenge) [^:]+: /, '')}</li>
      ))}
    </ul>
  );
}

function GoalEditor({
  goal,
  readOnly,
  problems,
  counts,
  onChange,
}: {
  goal: GoalDraft;
  readOnly: boolean;
  problems: string[];
  counts: GoalCounts | undefined;
  onChange: (change: (goal: GoalDraft) => GoalDraft) => void;
}) {
  return (
    <li
      data-goal={goal.goalId}
      className={`rounded-md p-3 ring-1 ${problems.length > 0 ? 'bg-rose-50/40 ring-rose-200' : 'ring-slate-200'}`}
    >
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <code className="text-xs font-semibold text-slate-700">{goal.goalId}</code>
        {goal.requirement?.statCode && <Badge tone="blue">{goal.requirement.statCode}</Badge>}
        <GoalStatsCells counts={counts} />
      </div>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-12">
        <Input
          className="lg:col-span-3"
          label="Name"
          value={goal.name ?? ''}
          readOnly={readOnly}
          onChange={(e) => onChange((g) => ({ ...g, name: e.target.value }))}
        />
        <Input
          className="lg:col-span-4"
          label="Description"
          value={goal.description ?? ''}
          readOnly={readOnly}
          onChange={(e) => onChange((g) => ({ ...g, description: e.target.value }))}
        />
        <Input
          className="lg:col-span-2"
          label={`Target (${goal.requirement?.operator ?? '>='})`}
          type="number"
          {...numberField(goal.requirement?.targetValue, readOnly)}
          readOnly={readOnly}
          onChange={(e) =>
            onChange((g) => ({
              ...g,
              requirement: { ...g.requirement, targetValue: numberOrNaN(e.target.value) },
            }))
          }
        />
        <div className="grid grid-cols-[1fr_4.5rem] gap-2 lg:col-span-3">
          <Input
            label="Reward"
            value={goal.reward?.rewardId ?? ''}
            readOnly={readOnly}
            onChange={(e) =>
              onChange((g) => ({ ...g, reward: { ...g.reward, rewardId: e.target.value } }))
            }
          />
          <Input
            label="Qty"
            type="number"
            {...numberField(goal.reward?.quantity, readOnly)}
            readOnly={readOnly}
            onChange={(e) =>
              onChange((g) => ({
                ...g,
                reward: { ...g.reward, quantity: numberOrNaN(e.target.value) },
              }))
            }
          />
        </div>
      </div>
      <Problems problems={problems} />
    </li>
  );
}

/** The draft as a form: each challenge with its goals, each problem next to its goal. */
export function ChallengeForm({
  content,
  problems,
  readOnly,
  stats,
  onChange,
}: {
  content: DefinitionsDraft;
  problems: string[];
  readOnly: boolean;
  stats: Map<string, GoalCounts> | undefined;
  onChange: (content: DefinitionsDraft) => void;
}) {
  if (content.challenges.length === 0) {
    return <p className="py-6 text-center text-sm text-slate-500">The draft has no challenges.</p>;
  }
  return (
    <div className="space-y-4">
      {content.challenges.map((challenge, ci) => (
        <Card
          key={challenge.challengeId}
          title={
            <span className="flex items-center gap-2">
              {challenge.name || challenge.challengeId}
              <code className="text-xs font-normal text-slate-500">{challenge.challengeId}</code>
            </span>
          }
          actions={<Badge>{plural((challenge.goals ?? []).length, 'goal')}</Badge>}
        >
          <div className="mb-4 grid gap-3 sm:grid-cols-2">
            <Input
              label="Challenge name"
              value={challenge.name ?? ''}
              readOnly={readOnly}
              onChange={(e) => onChange(updateChallenge(content, ci, { name: e.target.value }))}
            />
            <Input
              label="Challenge description"
              value={challenge.description ?? ''}
              readOnly={readOnly}
              onChange={(e) =>
                onChange(updateChallenge(content, ci, { description: e.target.value }))
              }
            />
          </div>
          <Problems problems={problemsFor(problems, challenge.challengeId)} />
          <ul className="space-y-3">
            {(challenge.goals ?? []).map((goal, gi) => (
              <GoalEditor
                // biome-ignore lint/suspicious/noArrayIndexKey: a draft may repeat a goal id (a problem the api reports), so the id alone is not unique.
                key={`${goal.goalId}-${gi}`}
                goal={goal}
                readOnly={readOnly}
                counts={stats?.get(goal.goalId)}
                problems={problemsFor(problems, challenge.challengeId, goal.goalId)}
                onChange={(change) => onChange(updateGoal(content, ci, gi, change))}
              />
            ))}
          </ul>
        </Card>
      ))}
    </div>
  );
}
