import { z } from 'zod';
import {
  cancelScheduledPublish,
  listScheduledPublishes,
  schedulePublish,
} from '../../../application/definitions/index.ts';
import { editorProcedure, viewerProcedure } from '../../init.ts';
import { jsonified, ZJsonOutput } from './json-output.ts';

type Out<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

/**
 * `challenge.schedulePublish`, `challenge.cancelScheduledPublish`, `challenge.scheduledPublishes`
 * (docs/definitions.md, Schedules): editors schedule the draft as it is now, viewers see them.
 */
export const scheduledPublishProcedures = {
  scheduledPublishes: viewerProcedure
    .input(
      z.object({ limit: z.number().int().min(1).max(500).default(100) }).default({ limit: 100 }),
    )
    .output(ZJsonOutput<Out<typeof listScheduledPublishes>>())
    .query(async ({ ctx, input }) => jsonified(await listScheduledPublishes(ctx.deps.app, input))),

  schedulePublish: editorProcedure
    .input(
      z.object({
        publishAt: z.iso.datetime({ offset: true }),
        note: z.string().max(1000).optional(),
        draftRevision: z.iso.datetime().nullable().optional(),
      }),
    )
    .output(ZJsonOutput<Out<typeof schedulePublish>>())
    .mutation(async ({ ctx, input }) => {
      const actor = ctx.user.email;
      return jsonified(await schedulePublish(ctx.deps.app, { ...input, actor }));
    }),

  cancelScheduledPublish: editorProcedure
    .input(z.object({ id: z.number().int().positive().max(2_147_483_647) }))
    .output(ZJsonOutput<Out<typeof cancelScheduledPublish>>())
    .mutation(async ({ ctx, input }) => {
      const actor = ctx.user.email;
      return jsonified(await cancelScheduledPublish(ctx.deps.app, { id: input.id, actor }));
    }),
};
