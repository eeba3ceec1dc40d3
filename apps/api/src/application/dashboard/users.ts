import { CoreError } from '@challenges/core';
import type { DashboardRole, DashboardUser, DashboardUserRepository } from '@challenges/db';
import { hashPassword } from '../../auth/passwords.ts';

/** What the account use cases need: the dashboard's accounts. */
export interface UserDeps {
  users: DashboardUserRepository;
}

export function listUsers({ users }: UserDeps): Promise<DashboardUser[]> {
  return users.list();
}

export async function createUser(
  { users }: UserDeps,
  input: { email: string; password: string; role: DashboardRole },
): Promise<DashboardUser> {
  const created = await users.create({
    email: input.email,
    passwordHash: await hashPassword(input.password),
    role: input.role,
  });
  if (!created) throw new CoreError('INVALID_ARGUMENT', 'a user with this email already exists');
  return created;
}

/**
 * Role changes, disabling and deleting, with two guards: nobody does it to themselves (an
 * admin cannot lock themselves out by a misclick) and the last enabled admin stays.
 */
export async function changeUser(
  { users }: UserDeps,
  input: {
    actorId: string;
    userId: string;
    change: { role?: DashboardRole; disabled?: boolean } | 'delete';
  },
): Promise<DashboardUser | null> {
  const { actorId, userId, change } = input;
  if (actorId === userId) {
    throw new CoreError('INVALID_ARGUMENT', 'you cannot change your own account');
  }
  const target = await users.findById(userId);
  if (!target) throw new CoreError('NOT_FOUND', `user '${userId}' not found`);
  const losesAdmin =
    target.role === 'admin' &&
    !target.disabled &&
    (change === 'delete' || change.disabled === true || (change.role ?? 'admin') !== 'admin');
  if (losesAdmin && (await users.countActiveAdmins()) <= 1) {
    throw new CoreError('INVALID_ARGUMENT', 'the last admin cannot be removed or demoted');
  }
  if (change === 'delete') {
    await users.delete(userId);
    return null;
  }
  const updated = await users.update(userId, change);
  if (!updated) throw new CoreError('NOT_FOUND', `user '${userId}' not found`);
  return updated;
}

/**
 * An admin sets another user's password (they forgot it, or it leaked): the user's sessions
 * end. Admins change their own with `changeOwnPassword`, which asks for the current one.
 */
export async function resetPassword(
  { users }: UserDeps,
  input: { actorId: string; userId: string; password: string },
): Promise<DashboardUser> {
  if (input.actorId === input.userId) {
    throw new CoreError(
      'INVALID_ARGUMENT',
      'use "change password" for your own account (it asks for the current one)',
    );
  }
  const updated = await users.setPasswordHash(input.userId, await hashPassword(input.password));
  if (!updated) throw new CoreError('NOT_FOUND', `user '${input.userId}' not found`);
  return updated;
}
