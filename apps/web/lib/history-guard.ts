/**
 * Back and Forward cannot be cancelled: `popstate` fires once the URL has changed, and Next's
 * router answers it on window, where listeners run in the order they were added (capture or
 * not). This one is added by `instrumentation-client.ts`, before the router exists, so a page
 * with unsaved edits can keep the router from ever seeing a traversal.
 */
type Guard = (event: PopStateEvent) => boolean;

let guard: Guard | null = null;

export function installHistoryGuard(): void {
  window.addEventListener('popstate', (event) => {
    if (guard?.(event)) event.stopImmediatePropagation();
  });
}

/** While set, each Back/Forward goes to `onTraverse` first; `true` hides it from the router. */
export function guardHistory(onTraverse: Guard | null): void {
  guard = onTraverse;
}
