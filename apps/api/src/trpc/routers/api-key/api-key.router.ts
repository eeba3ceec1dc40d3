import { z } from 'zod';
import {
  createApiKey,
  listApiKeys,
  revokeApiKey,
} from '../../../application/dashboard/api-keys.ts';
import { adminProcedure, router } from '../../init.ts';
import { apiKeyJson, ZApiKey, ZUuid } from '../dashboard.schema.ts';

/** Ingest API keys for POST /v1/events (admin only); the plaintext is shown once, at create. */
export const apiKeyRouter = router({
  list: adminProcedure.output(z.array(ZApiKey)).query(async ({ ctx }) => {
    return (await listApiKeys(ctx.deps.dashboard)).map(apiKeyJson);
  }),

  create: adminProcedure
    .input(z.object({ name: z.string().trim().min(1).max(100) }))
    .output(z.object({ apiKey: ZApiKey, key: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const created = await createApiKey(ctx.deps.dashboard, {
        name: input.name,
        createdBy: ctx.user.email,
      });
      return { apiKey: apiKeyJson(created.key), key: created.plaintext };
    }),

  revoke: adminProcedure
    .input(z.object({ id: ZUuid }))
    .output(ZApiKey)
    .mutation(async ({ ctx, input }) => {
      return apiKeyJson(await revokeApiKey(ctx.deps.dashboard, input));
    }),
});
