'use client';
import { EVENT_SOURCES, LEGACY_GOAL_TYPES, PROGRESS_MODES } from '@challenges/core/definitions';
import { Badge } from '@/components/ui/badge';
import { Checkbox, Input, Select } from '@/components/ui/input';
import type { GoalDraft } from '@/lib/definitions';
import { AUDIENCE_FIELDS, AudienceEditor, audienceOf, withAudience } from './audience-editor';
import { Options, Problems, type SortedProblems, sortProblems } from './form-fields';
import { GoalMoveActions, type GoalMoves } from './goal-moves';
import { GoalPrerequisites } from './goal-prerequisites';
import { GoalRotation, ROTATION_FIELDS } from './goal-rotation';
import { type GoalCounts, GoalStatsCells } from './goal-stats';
import { GoalVariants, VARIANT_FIELDS } from './goal-variants';
import { LocalizedTextInput } from './localized-text-input';
import { RewardFields, TargetField } from './reward-fields';
import { type ScheduleDraft, ScheduleFields } from './schedule-fields';

const GOAL_FIELDS = [
  'schedule',
  'goalId',
  'name',
  'description',
  'eventSource',
  'statCode',
  'progressMode',
  'targetValue',
  'reward.type',
  'rewardId',
  'quantity',
  'defaultAssigned',
  'prerequisites',
  'type',
  'daily',
  ...ROTATION_FIELDS,
  ...AUDIENCE_FIELDS,
  ...VARIANT_FIELDS,
] as const;

type Change = (change: (goal: GoalDraft) => GoalDraft) => void;

interface FieldsProps {
  goal: GoalDraft;
  defaultLocale?: string;
  readOnly: boolean;
  problems: SortedProblems;
  onChange: Change;
}

/** One goal: every field of the format, each problem under the field it is about. */
export function GoalEditor({
  goal,
  defaultLocale,
  readOnly,
  problems,
  counts,
  allGoalIds,
  moves,
  onChange,
  onRename,
}: {
  goal: GoalDraft;
  /** i18n: the draft's default locale, for the name/description locale tabs. */
  defaultLocale?: string;
  readOnly: boolean;
  problems: string[];
  counts: GoalCounts | undefined;
  allGoalIds: string[];
  moves: GoalMoves;
  onChange: Change;
  onRename: (goalId: string) => void;
}) {
  const sorted = sortProblems(problems, GOAL_FIELDS);
  const fields = { goal, readOnly, problems: sorted, onChange };
  return (
    <li
      data-goal={goal.goalId}
      className={`rounded-md p-3 ring-1 ${problems.length > 0 ? 'bg-rose-50/40 ring-rose-200' : 'ring-slate-200'}`}
    >
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <code className="text-xs font-semibold text-slate-700">{goal.goalId || '(no id)'}</code>
        {goal.requirement?.statCode && <Badge tone="blue">{goal.requirement.statCode}</Badge>}
        <span className="ml-auto flex flex-wrap items-center gap-3">
          <GoalStatsCells counts={counts} />
          {!readOnly && <GoalMoveActions goalId={goal.goalId} moves={moves} />}
        </span>
      </div>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-12">
        <TextFields {...fields} defaultLocale={defaultLocale} onRename={onRename} />
        <RequirementFields {...fields} />
        <GoalRewardFields {...fields} />
        <div className="col-span-2 lg:col-span-6">
          <GoalPrerequisites
            goalId={goal.goalId}
            prerequisites={goal.prerequisites ?? []}
            allGoalIds={allGoalIds}
            readOnly={readOnly}
            problem={sorted.field('prerequisites')}
            onChange={(prerequisites) => onChange((g) => ({ ...g, prerequisites }))}
          />
        </div>
        <div className="col-span-2 lg:col-span-6">
          <GoalRotation
            rotation={goal.rotation}
            readOnly={readOnly}
            problems={sorted}
            onChange={(rotation) => onChange((g) => ({ ...g, rotation }))}
          />
        </div>
        <div className="col-span-2 lg:col-span-12">
          <AudienceEditor
            label="Goal audience"
            audience={audienceOf(goal)}
            readOnly={readOnly}
            problems={sorted}
            onChange={(audience) => onChange((g) => withAudience(g, audience))}
          />
        </div>
        <div className="col-span-2 lg:col-span-12">
          <ScheduleFields
            schedule={goal.schedule as ScheduleDraft | undefined}
            readOnly={readOnly}
            problems={sorted}
            onChange={(schedule) => onChange((g) => ({ ...g, schedule }))}
          />
        </div>
        <div className="col-span-2 lg:col-span-12">
          <GoalVariants
            goal={goal}
            readOnly={readOnly}
            problems={sorted}
            onChange={(variants) => onChange((g) => ({ ...g, variants }))}
          />
        </div>
      </div>
      <Problems problems={sorted.rest} />
    </li>
  );
}

function TextFields({
  goal,
  defaultLocale,
  readOnly,
  problems,
  onChange,
  onRename,
}: FieldsProps & { onRename: (goalId: string) => void }) {
  return (
    <>
      <Input
        className="lg:col-span-3"
        label="Goal id"
        value={goal.goalId ?? ''}
        readOnly={readOnly}
        error={problems.field('goalId')}
        onChange={(e) => onRename(e.target.value)}
      />
      <LocalizedTextInput
        className="lg:col-span-3"
        label="Name"
        defaultLocale={defaultLocale}
        value={goal.name}
        readOnly={readOnly}
        error={problems.field('name')}
        onChange={(name) => onChange((g) => ({ ...g, name }))}
      />
      <LocalizedTextInput
        className="col-span-2 lg:col-span-6"
        label="Description"
        defaultLocale={defaultLocale}
        value={goal.description}
        readOnly={readOnly}
        error={problems.field('description')}
        onChange={(description) => onChange((g) => ({ ...g, description }))}
      />
    </>
  );
}

function RequirementFields({ goal, readOnly, problems, onChange }: FieldsProps) {
  const requirement = goal.requirement ?? {};
  const set = (change: Partial<NonNullable<GoalDraft['requirement']>>) =>
    onChange((g) => ({ ...g, requirement: { ...g.requirement, ...change } }));
  return (
    <>
      <Select
        className="lg:col-span-2"
        label="Event source"
        value={goal.eventSource ?? ''}
        disabled={readOnly}
        error={problems.field('eventSource')}
        onChange={(e) => onChange((g) => ({ ...g, eventSource: e.target.value }))}
      >
        <Options values={EVENT_SOURCES} current={goal.eventSource} />
      </Select>
      <Input
        className="lg:col-span-3"
        label="Stat code"
        value={requirement.statCode ?? ''}
        readOnly={readOnly}
        error={problems.field('statCode')}
        onChange={(e) => set({ statCode: e.target.value })}
      />
      <Select
        className="lg:col-span-2"
        label="Progress mode"
        value={requirement.progressMode ?? ''}
        disabled={readOnly}
        error={problems.field('progressMode')}
        onChange={(e) => set({ progressMode: e.target.value || undefined })}
      >
        <Options
          values={PROGRESS_MODES}
          current={requirement.progressMode}
          empty="from legacy type"
        />
      </Select>
      <TargetField
        className="lg:col-span-2"
        label={`Target (${requirement.operator ?? '>='})`}
        mode="required"
        value={requirement.targetValue}
        readOnly={readOnly}
        error={problems.field('targetValue')}
        onChange={(targetValue) => set({ targetValue })}
      />
      <LegacyFields goal={goal} readOnly={readOnly} problems={problems} onChange={onChange} />
    </>
  );
}

/** The original's `type` (and `daily` with increment), kept editable so its files round-trip. */
function LegacyFields({ goal, readOnly, problems, onChange }: FieldsProps) {
  return (
    <div className="col-span-2 grid grid-cols-[1fr_auto] items-end gap-2 lg:col-span-3">
      <Select
        label="Legacy type"
        value={goal.type ?? ''}
        disabled={readOnly}
        error={problems.field('type')}
        onChange={(e) => onChange((g) => ({ ...g, type: e.target.value || undefined }))}
      >
        <Options values={LEGACY_GOAL_TYPES} current={goal.type} empty="none" />
      </Select>
      <Checkbox
        className="pb-1.5"
        label="Daily"
        checked={goal.daily === true}
        disabled={readOnly || goal.type !== 'increment'}
        onChange={(e) => onChange((g) => ({ ...g, daily: e.target.checked || undefined }))}
      />
    </div>
  );
}

function GoalRewardFields({ goal, readOnly, problems, onChange }: FieldsProps) {
  return (
    <>
      <RewardFields
        reward={goal.reward ?? {}}
        mode="required"
        readOnly={readOnly}
        errors={{
          type: problems.field('reward.type'),
          rewardId: problems.field('rewardId'),
          quantity: problems.field('quantity'),
        }}
        classNames={{ type: 'lg:col-span-2', rewardId: 'lg:col-span-4', quantity: 'lg:col-span-2' }}
        onChange={(change) => onChange((g) => ({ ...g, reward: { ...g.reward, ...change } }))}
      />
      <Checkbox
        className="self-end pb-1.5 lg:col-span-4"
        label="Assigned by default"
        checked={goal.defaultAssigned === true}
        disabled={readOnly}
        onChange={(e) => onChange((g) => ({ ...g, defaultAssigned: e.target.checked }))}
      />
    </>
  );
}
