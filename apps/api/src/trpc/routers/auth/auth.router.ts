import type { DashboardUser } from '@challenges/db';
import { z } from 'zod';
import { requestAddress } from '../../../auth/client-address.ts';
import { endUserSessions, sessionUser } from '../../../auth/dashboard-users.ts';
import { changeOwnPassword } from '../../../auth/password-changes.ts';
import { MAX_PASSWORD_LENGTH } from '../../../auth/passwords.ts';
import { verifyCredentials } from '../../../auth/sign-in.ts';
import type { TrpcContext } from '../../context.ts';
import { dashboardPublicProcedure, publicProcedure, router, viewerProcedure } from '../../init.ts';
import { ZEmail, ZNewPassword, ZRole } from '../dashboard.schema.ts';

const ZWhoAmI = z.object({ email: z.string(), role: ZRole });
const ZTypedPassword = z.string().min(1).max(MAX_PASSWORD_LENGTH);

function credentialDeps(ctx: TrpcContext) {
  const { users, loginLimiter, verificationSlots, trustedProxies } = ctx.deps.dashboard;
  return {
    deps: { users, limiter: loginLimiter, slots: verificationSlots },
    ip: requestAddress(ctx.req, trustedProxies),
  };
}

/** A fresh session cookie for `user` (its current epoch); answers who they are. */
async function startSession(ctx: TrpcContext, user: DashboardUser) {
  await ctx.deps.dashboard.sessions.start(ctx.req, ctx.res, {
    userId: user.id,
    role: user.role,
    issuedAt: Date.now(),
    epoch: user.sessionEpoch,
  });
  return { email: user.email, role: user.role };
}

/** Sign-in, sign-out, who am I, own password. Never batched (context.ts). */
export const authRouter = router({
  signIn: dashboardPublicProcedure
    .input(z.object({ email: ZEmail, password: ZTypedPassword }))
    .output(ZWhoAmI)
    .mutation(async ({ ctx, input }) => {
      const { deps, ip } = credentialDeps(ctx);
      const user = await verifyCredentials(deps, { ...input, ip });
      return startSession(ctx, user);
    }),

  /** Ends every session of the user, not only this cookie: a copy of it is worthless too. */
  signOut: dashboardPublicProcedure
    .output(z.object({ signedOut: z.boolean() }))
    .mutation(async ({ ctx }) => {
      const { users, sessions } = ctx.deps.dashboard;
      await endUserSessions(users, await sessions.read(ctx.req));
      await sessions.end(ctx.req, ctx.res);
      return { signedOut: true };
    }),

  /** Who am I: null when not signed in, or when the account was disabled or deleted since. */
  session: publicProcedure.output(ZWhoAmI.nullable()).query(async ({ ctx }) => {
    const { users, sessions } = ctx.deps.dashboard;
    const user = await sessionUser(users, await sessions.read(ctx.req));
    return user && { email: user.email, role: user.role };
  }),

  /** Ends the user's other sessions; this one continues with a fresh cookie. */
  changePassword: viewerProcedure
    .input(z.object({ currentPassword: ZTypedPassword, newPassword: ZNewPassword }))
    .output(ZWhoAmI)
    .mutation(async ({ ctx, input }) => {
      const { deps, ip } = credentialDeps(ctx);
      const user = await changeOwnPassword(deps, { user: ctx.user, ...input, ip });
      return startSession(ctx, user);
    }),
});
