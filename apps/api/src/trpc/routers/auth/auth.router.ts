import { z } from 'zod';
import { sessionUser, signIn } from '../../../auth/dashboard-users.ts';
import { MAX_PASSWORD_LENGTH } from '../../../auth/passwords.ts';
import { publicProcedure, router } from '../../init.ts';
import { ZEmail, ZRole } from '../dashboard.schema.ts';

const ZWhoAmI = z.object({ email: z.string(), role: ZRole });

export const authRouter = router({
  signIn: publicProcedure
    .input(
      z.object({
        email: ZEmail,
        password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
      }),
    )
    .output(ZWhoAmI)
    .mutation(async ({ ctx, input }) => {
      const { users, loginLimiter, sessions } = ctx.deps.dashboard;
      const user = await signIn({ users, limiter: loginLimiter }, input);
      await sessions.start(ctx.req, ctx.res, {
        userId: user.id,
        role: user.role,
        issuedAt: Date.now(),
      });
      return { email: user.email, role: user.role };
    }),

  signOut: publicProcedure
    .output(z.object({ signedOut: z.boolean() }))
    .mutation(async ({ ctx }) => {
      await ctx.deps.dashboard.sessions.end(ctx.req, ctx.res);
      return { signedOut: true };
    }),

  /** Who am I: null when not signed in, or when the account was disabled or deleted since. */
  session: publicProcedure.output(ZWhoAmI.nullable()).query(async ({ ctx }) => {
    const { users, sessions } = ctx.deps.dashboard;
    const user = await sessionUser(users, await sessions.read(ctx.req));
    return user && { email: user.email, role: user.role };
  }),
});
