'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
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

/**
 * Asks before unsaved edits are dropped: a link inside the dashboard opens a confirmation, and
 * closing or reloading the tab gets the browser's own prompt. Next's router has no navigation
 * event to cancel, so the click is caught at the document in the capture phase, before Link's
 * own handler sees it.
 */
export function LeaveGuard({ when, what }: { when: boolean; what: string }) {
  const router = useRouter();
  const [target, setTarget] = useState<string | null>(null);
  useEffect(() => {
    if (!when) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    const onClick = (event: MouseEvent) => {
      const destination = destinationOf(event);
      if (destination === null) return;
      event.preventDefault();
      event.stopPropagation();
      setTarget(destination);
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [when]);
  return (
    <ConfirmDialog
      open={target !== null}
      title="Leave without saving?"
      confirmLabel="Leave and discard"
      onConfirm={() => {
        if (target !== null) router.push(target);
        setTarget(null);
      }}
      onCancel={() => setTarget(null)}
    >
      {what} are not saved; leaving this page drops them.
    </ConfirmDialog>
  );
}
