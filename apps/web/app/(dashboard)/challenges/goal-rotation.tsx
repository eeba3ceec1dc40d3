'use client';
import { SCHEDULES, WEEK_DAYS } from '@challenges/core/definitions';
import { Checkbox, FieldError, Input, Select } from '@/components/ui/input';
import type { RotationDraft } from '@/lib/definitions';
import { Options, type SortedProblems } from './form-fields';

export const ROTATION_FIELDS = [
  'rotation',
  'enabled',
  'schedule',
  'timezone',
  'weekStartsOn',
  'resetProgress',
  'allowReselection',
] as const;

const NEW_ROTATION: RotationDraft = {
  enabled: true,
  type: 'global',
  schedule: 'daily',
  timezone: 'UTC',
  weekStartsOn: 'monday',
  onExpiry: { resetProgress: false, allowReselection: false },
};

/**
 * A goal's rotation. Switching it off keeps its settings under `enabled: false` (the format's
 * own "no rotation"), so switching it on again brings them back.
 */
export function GoalRotation({
  rotation,
  readOnly,
  problems,
  onChange,
}: {
  rotation: RotationDraft | undefined;
  readOnly: boolean;
  problems: SortedProblems;
  onChange: (rotation: RotationDraft) => void;
}) {
  const on = rotation !== undefined && rotation.enabled !== false;
  const set = (change: Partial<RotationDraft>) => onChange({ ...rotation, ...change });
  const expiry = (change: { resetProgress?: boolean; allowReselection?: boolean }) =>
    set({ onExpiry: { ...rotation?.onExpiry, ...change } });
  const problem = problems.field('rotation');
  return (
    <fieldset className="space-y-2 rounded-md p-2 ring-1 ring-slate-200">
      <Checkbox
        label="Rotation"
        checked={on}
        disabled={readOnly}
        onChange={(e) =>
          onChange(rotation ? { ...rotation, enabled: e.target.checked } : NEW_ROTATION)
        }
      />
      <FieldError error={problem} />
      {on && (
        <div className="grid grid-cols-2 gap-2 sm:grid-cols-3">
          <Select
            label="Schedule"
            value={rotation.schedule ?? ''}
            disabled={readOnly}
            error={problems.field('schedule')}
            onChange={(e) => set({ schedule: e.target.value })}
          >
            <Options values={SCHEDULES} current={rotation.schedule} />
          </Select>
          <Input
            label="Time zone"
            value={rotation.timezone ?? ''}
            placeholder="UTC"
            readOnly={readOnly}
            error={problems.field('timezone')}
            onChange={(e) => set({ timezone: e.target.value })}
          />
          <Select
            label="Week starts on"
            value={rotation.weekStartsOn ?? 'monday'}
            disabled={readOnly || rotation.schedule !== 'weekly'}
            error={problems.field('weekStartsOn')}
            onChange={(e) => set({ weekStartsOn: e.target.value })}
          >
            <Options values={WEEK_DAYS} current={rotation.weekStartsOn} />
          </Select>
          <Checkbox
            className="col-span-2 sm:col-span-3"
            label="Reset progress when a period ends"
            checked={rotation.onExpiry?.resetProgress === true}
            disabled={readOnly}
            onChange={(e) => expiry({ resetProgress: e.target.checked })}
          />
          <Checkbox
            className="col-span-2 sm:col-span-3"
            label="Allow selecting it again when a period ends"
            checked={rotation.onExpiry?.allowReselection === true}
            disabled={readOnly}
            onChange={(e) => expiry({ allowReselection: e.target.checked })}
          />
        </div>
      )}
    </fieldset>
  );
}
