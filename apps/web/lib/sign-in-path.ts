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
