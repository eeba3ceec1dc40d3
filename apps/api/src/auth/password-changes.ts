import { CoreError, isCoreError } from '@challenges/core';
import type { DashboardUser } from '@challenges/db';
import { hashPassword } from './passwords.ts';
import { type CredentialDeps, verifyCredentials } from './sign-in.ts';

/**
 * A signed-in user's own password change. The current password is checked like a sign-in
 * (same budgets and slots), so a stolen cookie cannot guess it faster than the sign-in form.
 * Returns the user at the new session epoch: every session ends, the caller re-issues its own.
 */
export async function changeOwnPassword(
  deps: CredentialDeps,
  input: { user: DashboardUser; currentPassword: string; newPassword: string; ip: string },
): Promise<DashboardUser> {
  const { user, currentPassword, newPassword, ip } = input;
  if (newPassword === currentPassword) {
    throw new CoreError('INVALID_ARGUMENT', 'the new password must differ from the current one');
  }
  try {
    await verifyCredentials(deps, { email: user.email, password: currentPassword, ip });
  } catch (error) {
    // Not 401: the session is fine, only the typed password is not.
    if (isCoreError(error) && error.code === 'UNAUTHENTICATED') {
      throw new CoreError('INVALID_ARGUMENT', 'the current password is not correct');
    }
    throw error;
  }
  const updated = await deps.users.setPasswordHash(user.id, await hashPassword(newPassword));
  if (!updated) throw new CoreError('UNAUTHENTICATED', 'sign in to the dashboard');
  return updated;
}
