'use client';
import { useState } from 'react';
import { Button } from './button';

/** Forward-only cursor paging (the api pages by cursor): the cursors seen so far give the way back. */
export function useCursorPages<C>() {
  const [cursors, setCursors] = useState<(C | undefined)[]>([undefined]);
  return {
    cursor: cursors[cursors.length - 1],
    page: cursors.length,
    back: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    forward: (next: C) => setCursors((c) => [...c, next]),
    /** Back to the first page (a filter changed). */
    reset: () => setCursors([undefined]),
  };
}

export type CursorPages<C> = ReturnType<typeof useCursorPages<C>>;

/** "Page N" with back and forward buttons; `next` is the cursor of the following page, if any. */
export function CursorPager<C>({
  pages,
  next,
  labels,
}: {
  pages: CursorPages<C>;
  next: C | null | undefined;
  labels: { back: string; forward: string };
}) {
  return (
    <nav aria-label="Pages" className="flex items-center justify-end gap-2">
      <span className="mr-auto text-xs text-slate-500">Page {pages.page}</span>
      <Button variant="secondary" size="sm" disabled={pages.page === 1} onClick={pages.back}>
        {labels.back}
      </Button>
      <Button
        variant="secondary"
        size="sm"
        disabled={next === undefined || next === null}
        onClick={() => next !== undefined && next !== null && pages.forward(next)}
      >
        {labels.forward}
      </Button>
    </nav>
  );
}
