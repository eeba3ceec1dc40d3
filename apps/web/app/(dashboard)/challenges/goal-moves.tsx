'use client';
import { Button } from '@/components/ui/button';

export interface GoalMoves {
  up: (() => void) | null;
  down: (() => void) | null;
  /** The other challenges, by index, that the goal can move to (at their end). */
  targets: { index: number; label: string }[];
  moveTo: (challengeIndex: number) => void;
  remove: () => void;
}

/** Reorder, move to another challenge, remove: the goal's place in the draft. */
export function GoalMoveActions({ goalId, moves }: { goalId: string; moves: GoalMoves }) {
  return (
    <span className="flex flex-wrap items-center gap-1">
      <Button
        variant="ghost"
        size="sm"
        aria-label={`Move ${goalId} up`}
        disabled={!moves.up}
        onClick={() => moves.up?.()}
      >
        ↑
      </Button>
      <Button
        variant="ghost"
        size="sm"
        aria-label={`Move ${goalId} down`}
        disabled={!moves.down}
        onClick={() => moves.down?.()}
      >
        ↓
      </Button>
      {moves.targets.length > 0 && (
        <select
          aria-label={`Move ${goalId} to challenge`}
          className="h-7 rounded-md border-0 bg-white py-0 pr-7 pl-2 text-xs text-slate-700 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600"
          value=""
          onChange={(e) => e.target.value !== '' && moves.moveTo(Number(e.target.value))}
        >
          <option value="">Move to…</option>
          {moves.targets.map((target) => (
            <option key={target.index} value={target.index}>
              {target.label}
            </option>
          ))}
        </select>
      )}
      <Button
        variant="ghost"
        size="sm"
        className="text-rose-600 hover:bg-rose-50"
        aria-label={`Remove ${goalId}`}
        onClick={moves.remove}
      >
        Remove
      </Button>
    </span>
  );
}
