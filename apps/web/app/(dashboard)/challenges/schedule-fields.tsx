'use client';
import { Input } from '@/components/ui/input';
import type { SortedProblems } from './form-fields';

/** `schedule` of a challenge or goal as the draft holds it (RFC 3339 strings, each optional). */
export interface ScheduleDraft {
  startsAt?: string;
  endsAt?: string;
  claimUntil?: string;
  [key: string]: unknown;
}

const KEYS = [
  ['startsAt', 'Starts at'],
  ['endsAt', 'Ends at'],
  ['claimUntil', 'Claim until'],
] as const;

/**
 * The optional window of a challenge or goal (docs/definitions.md, Schedules). Empty fields are
 * left out of the draft, and a schedule without any is removed; core's definitionProblems
 * names what is wrong (format, order, overlap with the challenge) under the fields.
 */
export function ScheduleFields({
  schedule,
  readOnly,
  problems,
  onChange,
}: {
  schedule: ScheduleDraft | undefined;
  readOnly: boolean;
  problems: SortedProblems;
  onChange: (schedule: ScheduleDraft | undefined) => void;
}) {
  const set = (key: (typeof KEYS)[number][0], value: string) => {
    const next: ScheduleDraft = { ...schedule };
    if (value.trim() === '') delete next[key];
    else next[key] = value.trim();
    onChange(Object.keys(next).length === 0 ? undefined : next);
  };
  return (
    <fieldset data-schedule className="space-y-2 rounded-md p-2 ring-1 ring-slate-200">
      <legend className="px-1 text-xs font-medium text-slate-600">
        Time window (RFC 3339, optional)
      </legend>
      <div className="grid gap-2 sm:grid-cols-3">
        {KEYS.map(([key, label]) => (
          <Input
            key={key}
            label={label}
            value={typeof schedule?.[key] === 'string' ? (schedule[key] as string) : ''}
            placeholder="2026-12-24T18:00:00Z"
            readOnly={readOnly}
            onChange={(e) => set(key, e.target.value)}
          />
        ))}
      </div>
      {problems.field('schedule') && (
        <p role="alert" className="text-xs text-rose-600">
          {problems.field('schedule')}
        </p>
      )}
    </fieldset>
  );
}
