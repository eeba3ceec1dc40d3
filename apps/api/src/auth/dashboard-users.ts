import { randomBytes } from 'node:crypto';
import type { DashboardRole, DashboardUser, DashboardUserRepository } from '@challenges/db';
import type { Logger } from 'pino';
import type { SessionData } from './dashboard-session.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.ts';

export const ROLE_RANK: Record<DashboardRole, number> = { viewer: 1, editor: 2, admin: 3 };

/**
 * The session's user as the database has it now. Deleted or disabled users have no session,
 * and neither has a cookie issued before the user's sessions were ended (its epoch is behind).
 */
export async function sessionUser(
  users: DashboardUserRepository,
  session: SessionData,
): Promise<DashboardUser | null> {
  if (!session.userId || session.epoch === undefined) return null;
  const user = await users.findById(session.userId);
  return user && !user.disabled && user.sessionEpoch === session.epoch ? user : null;
}

/** Ends every session of the session's user (sign-out); nothing when it has none. */
export async function endUserSessions(
  users: DashboardUserRepository,
  session: SessionData,
): Promise<void> {
  const user = await sessionUser(users, session);
  if (user) await users.bumpSessionEpoch(user.id);
}

/** The admin `LOCAL_ADMIN=enabled` creates (npm start), with a generated password. */
export const LOCAL_ADMIN_EMAIL = 'admin@example.com';

/** Plain lines that stand out among JSON logs: the only time this password is shown. */
function printLocalAdmin(email: string, password: string): string {
  const lines = [
    `Dashboard admin created: ${email} / ${password}`,
    'Shown once: sign in and change it on the Account page.',
  ];
  const rule = '='.repeat(Math.max(...lines.map((l) => l.length)));
  return `${[rule, ...lines, rule].join('\n')}\n`;
}

/**
 * ADMIN_EMAIL/ADMIN_PASSWORD create the first admin; they never touch an existing one. Without
 * them, `generate` (LOCAL_ADMIN=enabled, never in production) creates a local admin with a random
 * password and prints both once, through `print`.
 */
export async function ensureInitialAdmin(
  users: DashboardUserRepository,
  config: { email: string | undefined; password: string | undefined; generate?: boolean },
  log: Logger,
  print: (text: string) => void = (text) => process.stderr.write(text),
): Promise<void> {
  if ((await users.countActiveAdmins()) > 0) return;
  const generated = !config.email && !config.password && config.generate === true;
  const email = generated ? LOCAL_ADMIN_EMAIL : config.email;
  const password = generated ? randomBytes(18).toString('base64url') : config.password;
  if (!email || !password) {
    if ((await users.countAll()) === 0) {
      log.warn(
        'no dashboard users yet: set ADMIN_EMAIL and ADMIN_PASSWORD (at least ' +
          `${MIN_PASSWORD_LENGTH} characters) and restart to create the first admin`,
      );
    }
    return;
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    log.error(
      `ADMIN_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters; no admin created`,
    );
    return;
  }
  // Replicas starting together may race here: the unique email makes the loser a no-op.
  const created = await users.create({
    email,
    passwordHash: await hashPassword(password),
    role: 'admin',
  });
  if (!created) {
    log.warn({ email }, `${email} exists but is not an enabled admin; no admin created`);
    return;
  }
  log.info({ email: created.email }, 'created the first dashboard admin');
  if (generated) print(printLocalAdmin(created.email, password));
}
