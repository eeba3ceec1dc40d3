'use client';
import { definitionProblems } from '@challenges/core/definitions';
import { useDeferredValue, useMemo, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { addChallenge, allGoalIds } from '@/lib/definition-edits';
import {
  type ChallengeDraft,
  type DefinitionsDraft,
  fitsForm,
  generalProblems,
} from '@/lib/definitions';
import { ChallengeSection } from './challenge-section';
import { Problems } from './form-fields';
import type { GoalCounts } from './goal-stats';

/** Above this many goals the challenges start folded: a page of them all is too long to scan. */
export const FOLD_ABOVE_GOALS = 15;

function goalCount(content: DefinitionsDraft): number {
  return content.challenges.reduce((sum, c) => sum + (c.goals?.length ?? 0), 0);
}

function matches(text: unknown, query: string): boolean {
  // A localized name matches in any of its locales.
  const shown = typeof text === 'object' && text !== null ? Object.values(text).join(' ') : text;
  return typeof shown === 'string' && shown.toLowerCase().includes(query);
}

/** The goals of a challenge a search shows: all when the challenge matches, else the matching. */
function searchGoals(challenge: ChallengeDraft, query: string): number[] | null {
  if (matches(challenge.challengeId, query) || matches(challenge.name, query)) return null;
  return (challenge.goals ?? []).flatMap((goal, gi) =>
    matches(goal.goalId, query) || matches(goal.name, query) ? [gi] : [],
  );
}

/**
 * The draft as a form: challenges folding to their header, searchable by id or name, every
 * field validated while typing by core's own rules (the api's), each problem at its field.
 */
export function ChallengeForm({
  content,
  readOnly,
  stats,
  onChange,
}: {
  content: DefinitionsDraft;
  readOnly: boolean;
  stats: Map<string, GoalCounts> | undefined;
  onChange: (content: DefinitionsDraft) => void;
}) {
  const checked = useDeferredValue(content);
  const problems = useMemo(() => definitionProblems(checked), [checked]);
  const [foldedByDefault] = useState(
    () => fitsForm(content) && goalCount(content) > FOLD_ABOVE_GOALS,
  );
  // Keyed by position: an id being typed must not fold or unfold its own card.
  const [opened, setOpened] = useState<Map<number, boolean>>(new Map());
  const [search, setSearch] = useState('');
  if (!fitsForm(content)) {
    return (
      <div className="py-4 text-sm text-slate-600">
        A challenge or goal of this draft has a shape the form cannot show; fix it in the JSON view.
        <Problems problems={problems} />
      </div>
    );
  }
  const query = search.trim().toLowerCase();
  const ids = allGoalIds(content);
  const isOpen = (ci: number) => opened.get(ci) ?? !foldedByDefault;

  const sections = content.challenges.flatMap((challenge, ci) => {
    const shownGoals = query === '' ? null : searchGoals(challenge, query);
    if (shownGoals !== null && shownGoals.length === 0) return [];
    return [{ ci, shownGoals }];
  });
  return (
    <div className="space-y-4">
      <FormToolbar
        search={search}
        onSearch={setSearch}
        onFoldAll={(open) => setOpened(new Map(content.challenges.map((_, ci) => [ci, open])))}
        onAddChallenge={
          readOnly
            ? null
            : () => {
                setOpened(new Map(opened).set(content.challenges.length, true));
                onChange(addChallenge(content));
              }
        }
      />
      <Problems problems={generalProblems(problems)} />
      {content.challenges.length === 0 && (
        <p className="py-6 text-center text-sm text-slate-500">The draft has no challenges.</p>
      )}
      {content.challenges.length > 0 && sections.length === 0 && (
        <p className="py-6 text-center text-sm text-slate-500">
          No challenge or goal matches “{search.trim()}”.
        </p>
      )}
      {sections.map(({ ci, shownGoals }) => (
        <ChallengeSection
          // By position: ids are edited in place, and a key from them would remount the field typed in.
          key={ci}
          content={content}
          index={ci}
          shownGoals={shownGoals}
          open={query !== '' || isOpen(ci)}
          readOnly={readOnly}
          problems={problems}
          allGoalIds={ids}
          stats={stats}
          onToggle={() => setOpened(new Map(opened).set(ci, !isOpen(ci)))}
          onChange={(next) => {
            if (next.challenges.length < content.challenges.length) setOpened(new Map());
            onChange(next);
          }}
        />
      ))}
    </div>
  );
}

function FormToolbar({
  search,
  onSearch,
  onFoldAll,
  onAddChallenge,
}: {
  search: string;
  onSearch: (search: string) => void;
  onFoldAll: (open: boolean) => void;
  onAddChallenge: (() => void) | null;
}) {
  return (
    <div className="flex flex-wrap items-end gap-2">
      <Input
        className="min-w-0 grow basis-full sm:basis-56"
        label="Search"
        type="search"
        placeholder="challenge or goal id or name"
        value={search}
        onChange={(e) => onSearch(e.target.value)}
      />
      <Button variant="secondary" size="sm" onClick={() => onFoldAll(true)}>
        Expand all
      </Button>
      <Button variant="secondary" size="sm" onClick={() => onFoldAll(false)}>
        Collapse all
      </Button>
      {onAddChallenge && (
        <Button variant="secondary" size="sm" onClick={onAddChallenge}>
          Add challenge
        </Button>
      )}
    </div>
  );
}
