import { CoreError } from '@challenges/core';
import { type DashboardUser, type DashboardUserRepository, normalizeEmail } from '@challenges/db';
import type { LimitVerdict, LoginLimiter } from './login-limiter.ts';
import { burnVerification, verifyPassword } from './passwords.ts';
import type { VerificationSlots } from './verification-slots.ts';

export interface CredentialDeps {
  users: DashboardUserRepository;
  limiter: LoginLimiter;
  slots: VerificationSlots;
}

const BAD_CREDENTIALS = 'invalid email or password';

const REFUSED: Record<Exclude<LimitVerdict, 'ok'>, string> = {
  locked: 'too many failed sign-ins for this email from your address; try later',
  ip: 'too many failed sign-ins from your address; try later',
  slow: 'this email is under a sign-in attack: attempts are slowed down; try again in a moment',
};

/**
 * Checks an email and password. The attempt is counted before the hash is checked and holds
 * one of the process's verification slots, so neither concurrency nor batching gets more
 * guesses than the budget. Every failure looks the same to the caller, whatever its cause.
 */
export async function verifyCredentials(
  deps: CredentialDeps,
  input: { email: string; password: string; ip: string },
): Promise<DashboardUser> {
  const attempt = { email: normalizeEmail(input.email), ip: input.ip };
  return deps.slots.run(async () => {
    const verdict = await deps.limiter.reserve(attempt);
    if (verdict !== 'ok') throw new CoreError('RATE_LIMITED', REFUSED[verdict]);
    const user = await deps.users.findByEmailWithHash(attempt.email);
    // An unknown email still costs one verification: response time does not tell it apart.
    if (!user) await burnVerification(input.password);
    const ok = user ? await verifyPassword(user.passwordHash, input.password) : false;
    if (!user || !ok || user.disabled) throw new CoreError('UNAUTHENTICATED', BAD_CREDENTIALS);
    await deps.limiter.succeeded(attempt);
    const { passwordHash: _hash, ...rest } = user;
    return rest;
  });
}
