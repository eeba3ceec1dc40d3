/** Where the sign-in page sends a user back to: only a path of this site, never another origin. */
export function safeReturnPath(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return '/challenges';
  }
  return next.startsWith('/sign-in') ? '/challenges' : next;
}

/** The sign-in page, remembering the page the user was on. */
export function signInPath(location: { pathname: string; search: string }): string {
  const here = `${location.pathname}${location.search}`;
  return here === '/' || here.startsWith('/sign-in')
    ? '/sign-in'
    : `/sign-in?next=${encodeURIComponent(here)}`;
}

let signingOut = false;
let leaving = false;

/**
 * Sends the tab to sign-in once, by a full page load that drops this tab's state: several
 * refused polls (and the session check) all ask for it at about the same moment.
 */
export function goToSignIn(): void {
  if (leaving || signingOut) return;
  leaving = true;
  window.location.replace(signInPath(window.location));
}

/**
 * While this tab signs out, the calls still in flight answer 401 too: that is the sign-out
 * itself, not a session lost elsewhere, so no return path is kept. A full page load after the
 * sign-out starts the tab afresh.
 */
export const signOutInTab = {
  begin: () => {
    signingOut = true;
  },
  failed: () => {
    signingOut = false;
  },
};
