import type { DashboardRole, DashboardUser } from '@challenges/db';
import { z } from 'zod';
import {
  changeUser,
  createUser,
  listUsers,
  resetPassword,
} from '../../../application/dashboard/users.ts';
import type { TrpcContext } from '../../context.ts';
import { adminProcedure, router } from '../../init.ts';
import {
  dashboardUserJson,
  ZDashboardUser,
  ZEmail,
  ZNewPassword,
  ZRole,
  ZUuid,
} from '../dashboard.schema.ts';

const ZUserRef = z.object({ userId: ZUuid });

/** A role or enabled change to another user's account, answered with the account as it is now. */
async function changed(
  ctx: TrpcContext & { user: DashboardUser },
  userId: string,
  change: { role?: DashboardRole; disabled?: boolean },
) {
  const user = await changeUser(ctx.deps.dashboard, { actorId: ctx.user.id, userId, change });
  // Only a delete answers null.
  return dashboardUserJson(user!);
}

/** Dashboard accounts (admin only). */
export const userRouter = router({
  list: adminProcedure.output(z.array(ZDashboardUser)).query(async ({ ctx }) => {
    return (await listUsers(ctx.deps.dashboard)).map(dashboardUserJson);
  }),

  create: adminProcedure
    .input(z.object({ email: ZEmail, password: ZNewPassword, role: ZRole }))
    .output(ZDashboardUser)
    .mutation(async ({ ctx, input }) => {
      return dashboardUserJson(await createUser(ctx.deps.dashboard, input));
    }),

  setRole: adminProcedure
    .input(ZUserRef.extend({ role: ZRole }))
    .output(ZDashboardUser)
    .mutation(({ ctx, input }) => changed(ctx, input.userId, { role: input.role })),

  disable: adminProcedure
    .input(ZUserRef)
    .output(ZDashboardUser)
    .mutation(({ ctx, input }) => changed(ctx, input.userId, { disabled: true })),

  enable: adminProcedure
    .input(ZUserRef)
    .output(ZDashboardUser)
    .mutation(({ ctx, input }) => changed(ctx, input.userId, { disabled: false })),

  /** A new password for another user; their sessions end. */
  resetPassword: adminProcedure
    .input(ZUserRef.extend({ password: ZNewPassword }))
    .output(ZDashboardUser)
    .mutation(async ({ ctx, input }) => {
      const user = await resetPassword(ctx.deps.dashboard, {
        actorId: ctx.user.id,
        ...input,
      });
      return dashboardUserJson(user);
    }),

  delete: adminProcedure
    .input(ZUserRef)
    .output(z.object({ deleted: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await changeUser(ctx.deps.dashboard, {
        actorId: ctx.user.id,
        userId: input.userId,
        change: 'delete',
      });
      return { deleted: true };
    }),
});
