'use client';

export function numberOrNaN(text: string): number {
  // Keep what was typed (even "" or 0): validation says what is wrong with it, inline.
  return text.trim() === '' ? Number.NaN : Number(text);
}

/** A draft number as its input shows it: a cleared field (NaN) is empty and required. */
export function numberField(value: number | undefined, readOnly: boolean, problem?: string) {
  const cleared = value !== undefined && Number.isNaN(value);
  return {
    value: value === undefined || cleared ? '' : String(value),
    error: readOnly ? undefined : cleared ? 'Required' : problem,
  };
}

const PREFIX = /^invalid (goal|challenge) [^:]+: /;

/**
 * Which field a problem is about: core's messages start with the field's key
 * ("targetValue must be positive", "prerequisite 'x' does not exist"). The reward's `type` and
 * the legacy goal `type` share a key, told apart by the values the message lists.
 */
function fieldOf(message: string): string {
  const key = /^[A-Za-z]+/.exec(message)?.[0] ?? '';
  if (key === 'type') return message.includes("'ITEM'") ? 'reward.type' : 'type';
  if (key === 'prerequisite') return 'prerequisites';
  return key;
}

export interface SortedProblems {
  /** The message for a field the form shows, joined when there are several. */
  field: (key: string) => string | undefined;
  /** Messages no shown field claims, listed under the goal or challenge. */
  rest: string[];
}

export function sortProblems(problems: string[], shownFields: readonly string[]): SortedProblems {
  const byField = new Map<string, string[]>();
  const rest: string[] = [];
  for (const problem of problems) {
    const message = problem.replace(PREFIX, '');
    const key = fieldOf(message);
    if (!shownFields.includes(key)) {
      rest.push(message);
      continue;
    }
    byField.set(key, [...(byField.get(key) ?? []), message]);
  }
  return { field: (key) => byField.get(key)?.join('; '), rest };
}

export function Problems({ problems }: { problems: string[] }) {
  if (problems.length === 0) return null;
  return (
    <ul role="alert" className="mt-2 space-y-0.5 text-xs text-rose-600">
      {problems.map((problem) => (
        <li key={problem}>{problem}</li>
      ))}
    </ul>
  );
}

/**
 * The choices of an enum field, plus the draft's current value when it is none of them (so an
 * invalid value shows as it is, next to its problem, instead of silently turning valid).
 */
export function Options({
  values,
  current,
  empty,
}: {
  values: readonly string[];
  current: string | undefined;
  empty?: string;
}) {
  const blank = current === undefined || current === '';
  const unknown = !blank && !values.includes(current);
  return (
    <>
      {(blank || empty !== undefined) && <option value="">{empty ?? 'choose…'}</option>}
      {unknown && <option value={current}>{current}</option>}
      {values.map((value) => (
        <option key={value} value={value}>
          {value}
        </option>
      ))}
    </>
  );
}
