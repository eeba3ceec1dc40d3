import { CoreError, playerAttributesSchema } from '@challenges/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../application/context.ts';
import { replacePlayerAttributes } from '../application/player-audience.ts';
import type { IngestKeyVerifier } from '../auth/ingest-keys.ts';
import { parseInput, ZId } from '../edge/inputs.ts';
import { components } from './openapi/responses.schema.ts';

export const ZPlayerParams = z.object({ id: ZId });
export const ZPlayerAttributesBody = z.strictObject({ attributes: playerAttributesSchema });
export const ZPlayerAttributesResponse = z
  .strictObject({
    userId: z.string(),
    attributes: playerAttributesSchema,
    /** The player's active goals this change put outside an audience (now inactive). */
    deactivatedGoals: z.number().int(),
  })
  .register(components, { id: 'PlayerAttributesResponse' });

/**
 * `PUT /v1/players/{id}/attributes` (docs/api.md): the game backend sets a player's attributes
 * for audiences, with an ingest key like `POST /v1/events`. Replaces them whole.
 */
export function registerPlayerAttributesRoutes(
  app: FastifyInstance,
  deps: { ctx: AppContext; keys: IngestKeyVerifier },
): void {
  const authenticate = async (req: FastifyRequest) => {
    const key = req.headers['x-api-key'];
    if (typeof key !== 'string' || key === '' || !(await deps.keys.verify(key))) {
      throw new CoreError('UNAUTHENTICATED', 'a valid x-api-key header is required');
    }
  };
  app.put('/v1/players/:id/attributes', { onRequest: authenticate }, async (req) => {
    const { id } = parseInput(ZPlayerParams, req.params, 'path');
    const { attributes } = parseInput(ZPlayerAttributesBody, req.body, 'body');
    return replacePlayerAttributes(deps.ctx, { userId: id, attributes });
  });
}
