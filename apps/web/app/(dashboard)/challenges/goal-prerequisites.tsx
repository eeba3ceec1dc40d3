'use client';
import { useId } from 'react';
import { FieldError, Select } from '@/components/ui/input';

/** The goals (of any challenge) that must be completed first, added from a list of the others. */
export function GoalPrerequisites({
  goalId,
  prerequisites,
  allGoalIds,
  readOnly,
  problem,
  onChange,
}: {
  goalId: string;
  prerequisites: string[];
  allGoalIds: string[];
  readOnly: boolean;
  problem: string | undefined;
  onChange: (prerequisites: string[]) => void;
}) {
  const labelId = useId();
  const choices = allGoalIds.filter((id) => id !== goalId && !prerequisites.includes(id));
  return (
    <div>
      <p id={labelId} className="mb-1 text-xs font-medium text-slate-600">
        Prerequisites
      </p>
      <ul aria-labelledby={labelId} className="mb-2 flex flex-wrap gap-1.5">
        {prerequisites.length === 0 && <li className="text-xs text-slate-500">none</li>}
        {prerequisites.map((id, index) => (
          <li
            // biome-ignore lint/suspicious/noArrayIndexKey: a draft may list a prerequisite twice (a problem validation reports).
            key={`${id}-${index}`}
            className="inline-flex items-center gap-1 rounded-md bg-slate-100 px-2 py-0.5 font-mono text-xs text-slate-700 ring-1 ring-inset ring-slate-500/20"
          >
            {id}
            {!readOnly && (
              <button
                type="button"
                aria-label={`Remove prerequisite ${id}`}
                className="rounded px-1 text-slate-500 hover:bg-slate-200 hover:text-slate-800"
                onClick={() => onChange(prerequisites.filter((_, i) => i !== index))}
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {!readOnly && (
        <Select
          aria-label="Add prerequisite"
          value=""
          disabled={choices.length === 0}
          onChange={(e) => e.target.value && onChange([...prerequisites, e.target.value])}
        >
          <option value="">Add prerequisite…</option>
          {choices.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </Select>
      )}
      <FieldError error={problem} />
    </div>
  );
}
