'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { guardHistory } from '@/lib/history-guard';
import { ConfirmDialog } from './ui/dialog';

/** The in-app destination of a plain left click on a link, or null when it leaves this page. */
function destinationOf(event: MouseEvent): string | null {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return null;
  }
  const anchor = event.target instanceof Element ? event.target.closest('a[href]') : null;
  if (!(anchor instanceof HTMLAnchorElement)) return null;
  if (anchor.target === '_blank' || anchor.hasAttribute('download')) return null;
  const url = new URL(anchor.href);
  if (url.origin !== window.location.origin || url.pathname === window.location.pathname) {
    return null;
  }
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Where the guard would go: a link's path, or back/forward to the history entry popped. */
type Leaving = { kind: 'link'; to: string } | { kind: 'history' };

/**
 * Asks before unsaved edits are dropped: a link inside the dashboard opens a confirmation, and
 * closing or reloading the tab gets the browser's own prompt. Next's router has no navigation
 * event to cancel, so the click is caught at the document in the capture phase, before Link's
 * own handler sees it. Back and Forward cannot be cancelled either: the URL has already changed
 * when `popstate` fires, so the guard (lib/history-guard.ts, listening ahead of the router) hides
 * it from the router, puts this page's URL back as a new entry and asks; leaving then steps back
 * from that entry to the one that was popped.
 */
export function LeaveGuard({ when, what }: { when: boolean; what: string }) {
  const router = useRouter();
  const [target, setTarget] = useState<Leaving | null>(null);
  const letThrough = useRef(false);
  useEffect(() => {
    if (!when) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    const onClick = (event: MouseEvent) => {
      const destination = destinationOf(event);
      if (destination === null) return;
      event.preventDefault();
      event.stopPropagation();
      setTarget({ kind: 'link', to: destination });
    };
    // This page's own entry as it is now (the router keeps its tree in the entry's state).
    const here = { url: window.location.href, state: window.history.state as unknown };
    guardHistory(() => {
      if (letThrough.current) {
        letThrough.current = false;
        return false;
      }
      window.history.pushState(here.state, '', here.url);
      setTarget({ kind: 'history' });
      return true;
    });
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
      guardHistory(null);
    };
  }, [when]);
  const leave = (leaving: Leaving) => {
    if (leaving.kind === 'link') {
      router.push(leaving.to);
    } else {
      letThrough.current = true;
      window.history.back();
    }
  };
  return (
    <ConfirmDialog
      open={target !== null}
      title="Leave without saving?"
      confirmLabel="Leave and discard"
      onConfirm={() => {
        if (target !== null) leave(target);
        setTarget(null);
      }}
      onCancel={() => setTarget(null)}
    >
      {what} are not saved; leaving this page drops them.
    </ConfirmDialog>
  );
}
