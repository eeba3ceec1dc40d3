import fc from 'fast-check';
import { hostileText, junkJson, wrongTypeFor } from './fuzz.ts';

/**
 * Every tRPC procedure with who may call it and a valid input to call it with: the
 * authorization matrix and the tRPC fuzz test read it, and the matrix fails when a procedure of
 * the router has no row (or a row names none).
 */
export type Access = 'public' | 'player' | 'viewer' | 'editor' | 'admin';
export type Identity = 'anonymous' | 'player' | 'ingestKey' | 'viewer' | 'editor' | 'admin';

const MISSING_ID = '00000000-0000-4000-8000-000000000000';
export const SIGN_IN = { email: 'matrix-signin@example.com', password: 'matrix-password' };

const NO_CPU_PROFILE = 'cpu-00000000-0000-4000-8000-000000000000';
const NO_HEAP_PROFILE = 'heap-00000000-0000-4000-8000-000000000000';

export const PROCEDURES: Record<
  string,
  { access: Access; input?: unknown; endsSessions?: boolean }
> = {
  'auth.signIn': { access: 'public', input: SIGN_IN },
  // Ends every session of the caller: the identities sign in again after this row.
  'auth.signOut': { access: 'public', endsSessions: true },
  'auth.session': { access: 'public' },
  // A wrong current password: allowed through auth, refused as BAD_REQUEST, nothing changes.
  'auth.changePassword': {
    access: 'viewer',
    input: { currentPassword: 'not-my-password', newPassword: 'matrix-new-password' },
  },
  'user.list': { access: 'admin' },
  'user.create': {
    access: 'admin',
    input: { email: 'new@example.com', password: 'password-123', role: 'viewer' },
  },
  'user.setRole': { access: 'admin', input: { userId: MISSING_ID, role: 'editor' } },
  'user.disable': { access: 'admin', input: { userId: MISSING_ID } },
  'user.enable': { access: 'admin', input: { userId: MISSING_ID } },
  'user.delete': { access: 'admin', input: { userId: MISSING_ID } },
  'user.resetPassword': {
    access: 'admin',
    input: { userId: MISSING_ID, password: 'password-123' },
  },
  'apiKey.list': { access: 'admin' },
  'apiKey.create': { access: 'admin', input: { name: 'matrix' } },
  'apiKey.revoke': { access: 'admin', input: { id: MISSING_ID } },
  'player.goals': { access: 'viewer', input: { userId: 'someone' } },
  'player.search': { access: 'viewer', input: { prefix: 'some' } },
  'player.timeline': { access: 'viewer', input: { userId: 'someone' } },
  'player.attributes': { access: 'viewer', input: { userId: 'someone' } },
  'player.setActive': {
    access: 'editor',
    input: { userId: 'someone', challengeId: 'c', goalId: 'g', isActive: true },
  },
  'player.resetGoal': { access: 'editor', input: { userId: 'someone', goalId: 'g' } },
  'player.deleteData': { access: 'editor', input: { userId: 'someone' } },
  'me.list': { access: 'player', input: { activeOnly: false } },
  'me.initialize': { access: 'player' },
  'me.setActive': { access: 'player', input: { challengeId: 'c', goalId: 'g', isActive: true } },
  'me.batchSelect': { access: 'player', input: { challengeId: 'c', goalIds: ['g'] } },
  'me.randomSelect': { access: 'player', input: { challengeId: 'c', count: 1 } },
  'me.claim': { access: 'player', input: { challengeId: 'c', goalId: 'g' } },
  'me.rotation': { access: 'player', input: { challengeId: 'c' } },
  'challenge.versions': { access: 'viewer', input: { limit: 10 } },
  'challenge.draft': { access: 'viewer' },
  'challenge.validateDraft': { access: 'viewer' },
  'challenge.diffDraft': { access: 'viewer' },
  'challenge.export': { access: 'viewer', input: {} },
  'challenge.audit': { access: 'viewer', input: { limit: 10 } },
  'challenge.updateDraft': { access: 'editor', input: { content: { challenges: [] } } },
  'challenge.publish': { access: 'editor', input: { note: 'matrix' } },
  'challenge.rollback': { access: 'editor', input: { version: 1 } },
  'challenge.import': { access: 'editor', input: { content: { challenges: [] }, publish: false } },
  'challenge.previewImport': { access: 'editor', input: { content: { challenges: [] } } },
  // A stale revision: the call passes authorization and is refused (CONFLICT) without a write.
  'challenge.resetDraft': { access: 'editor', input: { draftRevision: '2000-01-01T00:00:00Z' } },
  'challenge.goalStats': { access: 'viewer' },
  'challenge.scheduledPublishes': { access: 'viewer', input: { limit: 10 } },
  'challenge.schedulePublish': { access: 'editor', input: { publishAt: '2000-01-01T00:00:00Z' } },
  'challenge.cancelScheduledPublish': { access: 'editor', input: { id: 999999 } },
  'challenge.funnel': { access: 'viewer', input: { challengeId: 'season' } },
  'live.processes': { access: 'viewer' },
  'live.history': { access: 'viewer', input: { windowSeconds: 60 } },
  // An id no process has: the admin gets NOT_FOUND at once instead of a profile's wait.
  'profile.cpu': { access: 'admin', input: { processId: 'api:nowhere:1', seconds: 1 } },
  'profile.heap': { access: 'admin', input: { processId: 'api:nowhere:1', seconds: 1 } },
  // Ids no profile has: the admin gets NOT_FOUND.
  'profile.raw': { access: 'admin', input: { profileId: NO_CPU_PROFILE } },
  'profile.flame': { access: 'admin', input: { profileId: NO_HEAP_PROFILE } },
  'profile.diff': { access: 'admin', input: { before: NO_CPU_PROFILE, after: NO_CPU_PROFILE } },
  'reward.list': { access: 'viewer', input: { limit: 10 } },
  'reward.events': { access: 'viewer', input: { grantId: '1' } },
  'reward.retry': { access: 'editor', input: { ids: ['1'] } },
  'loadtest.list': { access: 'viewer', input: { limit: 10 } },
  'loadtest.get': { access: 'viewer', input: { id: 'lt-missing' } },
  // startTestApi's runner is a fake one: the admin's call spawns no real traffic.
  'loadtest.start': {
    access: 'admin',
    input: { scenario: 'list', rps: 1, eps: 0, durationSeconds: 1, users: 1 },
  },
  'loadtest.cancel': { access: 'admin', input: { id: 'lt-missing' } },
  'webhook.list': { access: 'viewer' },
  'webhook.deliveries': { access: 'viewer', input: { limit: 10 } },
  'webhook.retry': { access: 'editor', input: { ids: ['1'] } },
  // A private address: the admin's call is refused by the SSRF guard (nothing is created).
  'webhook.create': {
    access: 'admin',
    input: { name: 'crm', url: 'http://10.0.0.1/hook', events: ['goal.completed'] },
  },
  'webhook.update': {
    access: 'admin',
    input: { id: '999999', name: 'crm', url: 'https://8.8.8.8/hook', events: ['goal.claimed'] },
  },
  'webhook.delete': { access: 'admin', input: { id: '999999' } },
  'webhook.rotateSecret': { access: 'admin', input: { id: '999999' } },
};

/** A cookie header with one character of its value changed. */
export function tampered(cookie: string, n: number): string {
  const start = cookie.indexOf('=') + 1;
  const at = start + (n % (cookie.length - start - 3));
  const swap = cookie[at] === 'A' ? 'B' : 'A';
  return `${cookie.slice(0, at)}${swap}${cookie.slice(at + 1)}`;
}

/** One field of the valid input with the wrong type, or an input that is no object at all. */
export function malformedInput(path: string): fc.Arbitrary<unknown> {
  const valid = PROCEDURES[path]!.input;
  const notAnObject = fc.oneof(
    hostileText({ maxLength: 40 }),
    fc.double(),
    fc.boolean(),
    fc.array(junkJson, { maxLength: 3 }),
  );
  if (typeof valid !== 'object' || valid === null || Object.keys(valid).length === 0)
    return notAnObject;
  const record = valid as Record<string, unknown>;
  const wrongField = fc
    .constantFrom(...Object.keys(record))
    .chain((key) => wrongTypeFor(record[key]).map((bad) => ({ ...record, [key]: bad })));
  return fc.oneof(notAnObject, wrongField);
}
