import { DEFINITION_AUDIT_ACTIONS } from '@challenges/db';
import { z } from 'zod';
import { goalStatistics } from '../../../application/dashboard/goal-stats.ts';
import { variantFunnel } from '../../../application/dashboard/variant-funnel.ts';
import {
  diffDraft,
  exportDefinitions,
  getDraft,
  importDefinitions,
  listAudit,
  listVersions,
  previewImport,
  publishDraft,
  resetDraftToLive,
  rollback,
  updateDraft,
  validateDraft,
} from '../../../application/definitions/index.ts';
import { editorProcedure, router, viewerProcedure } from '../../init.ts';
import { jsonified, ZJsonOutput } from './json-output.ts';
import { scheduledPublishProcedures } from './scheduled-publish.procedures.ts';

type Out<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

/**
 * A definitions file: the object, or its JSON text as exported. The store validates the
 * content itself (drafts may be work in progress) and refuses more than it can hold.
 */
const ZContent = z.union([z.string().min(2), z.looseObject({})]);
const ZLimit = z
  .object({ limit: z.number().int().min(1).max(500).default(50) })
  .default({ limit: 50 });
const ZVersion = z.number().int().min(1).max(2_147_483_647);
/** The draft's `updatedAt` the editor worked on (null: there was no saved draft). */
const ZDraftRevision = z.iso.datetime().nullable().optional();

/** Challenge definitions: viewers read and export, editors change the draft and what is live. */
export const challengeRouter = router({
  versions: viewerProcedure
    .input(ZLimit)
    .output(ZJsonOutput<Out<typeof listVersions>>())
    .query(async ({ ctx, input }) => jsonified(await listVersions(ctx.deps.app, input))),

  draft: viewerProcedure
    .output(ZJsonOutput<Out<typeof getDraft>>())
    .query(async ({ ctx }) => jsonified(await getDraft(ctx.deps.app))),

  validateDraft: viewerProcedure
    .output(ZJsonOutput<Out<typeof validateDraft>>())
    .query(async ({ ctx }) => jsonified(await validateDraft(ctx.deps.app))),

  diffDraft: viewerProcedure
    .output(ZJsonOutput<Out<typeof diffDraft>>())
    .query(async ({ ctx }) => jsonified(await diffDraft(ctx.deps.app))),

  export: viewerProcedure
    .input(z.object({ version: ZVersion.optional() }).default({}))
    .output(ZJsonOutput<Out<typeof exportDefinitions>>())
    .query(async ({ ctx, input }) => jsonified(await exportDefinitions(ctx.deps.app, input))),

  audit: viewerProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(500).default(50),
          before: z.number().int().positive().optional(),
          action: z.enum(DEFINITION_AUDIT_ACTIONS).optional(),
        })
        .default({ limit: 50 }),
    )
    .output(ZJsonOutput<Out<typeof listAudit>>())
    .query(async ({ ctx, input }) => jsonified(await listAudit(ctx.deps.app, input))),

  updateDraft: editorProcedure
    .input(z.object({ content: ZContent, draftRevision: ZDraftRevision }))
    .output(ZJsonOutput<Out<typeof updateDraft>>())
    .mutation(async ({ ctx, input }) => {
      const actor = ctx.user.email;
      return jsonified(await updateDraft(ctx.deps.app, { ...input, actor }));
    }),

  resetDraft: editorProcedure
    .input(z.object({ draftRevision: ZDraftRevision }).default({}))
    .output(ZJsonOutput<Out<typeof resetDraftToLive>>())
    .mutation(async ({ ctx, input }) => {
      const actor = ctx.user.email;
      return jsonified(await resetDraftToLive(ctx.deps.app, { ...input, actor }));
    }),

  publish: editorProcedure
    .input(
      z
        .object({ note: z.string().max(1000).optional(), draftRevision: ZDraftRevision })
        .default({}),
    )
    .output(ZJsonOutput<Out<typeof publishDraft>>())
    .mutation(async ({ ctx, input }) => {
      const actor = ctx.user.email;
      return jsonified(await publishDraft(ctx.deps.app, { ...input, actor }));
    }),

  rollback: editorProcedure
    .input(z.object({ version: ZVersion }))
    .output(ZJsonOutput<Out<typeof rollback>>())
    .mutation(async ({ ctx, input }) => {
      const actor = ctx.user.email;
      return jsonified(await rollback(ctx.deps.app, { version: input.version, actor }));
    }),

  /** The file as import would store it, so the editor compares before replacing the draft. */
  previewImport: editorProcedure
    .input(z.object({ content: ZContent }))
    .output(ZJsonOutput<ReturnType<typeof previewImport>>())
    .mutation(({ input }) => jsonified(previewImport(input))),

  import: editorProcedure
    .input(
      z.object({
        content: ZContent,
        publish: z.boolean().default(false),
        draftRevision: ZDraftRevision,
      }),
    )
    .output(ZJsonOutput<Out<typeof importDefinitions>>())
    .mutation(async ({ ctx, input }) => {
      const actor = ctx.user.email;
      return jsonified(await importDefinitions(ctx.deps.app, { ...input, actor }));
    }),

  ...scheduledPublishProcedures,

  /** Per goal: players assigned, active, completed (incl. claimed), claimed — one query. */
  goalStats: viewerProcedure.query(async ({ ctx }) => goalStatistics(ctx.deps.observability)),

  /** Per goal × A/B variant of a challenge: the funnel, rates, time to complete — one query. */
  funnel: viewerProcedure
    .input(z.object({ challengeId: z.string().min(1).max(128) }))
    .query(async ({ ctx, input }) =>
      variantFunnel(
        { funnel: ctx.deps.observability.funnel, definitions: ctx.deps.app.definitions },
        input,
      ),
    ),
});
