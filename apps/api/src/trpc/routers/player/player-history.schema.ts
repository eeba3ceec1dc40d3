import { formatTimestamp } from '@challenges/core';
import type { PlayerTimelineEntry } from '@challenges/db';
import { z } from 'zod';
import { ZId } from '../../../edge/inputs.ts';

export const ZPlayerSearchInput = z.object({
  prefix: ZId,
  /** The last id of the page before (`next` of its answer). */
  cursor: ZId.optional(),
  limit: z.number().int().min(1).max(100).default(20),
});

export const ZPlayerSearch = z.object({ ids: z.array(z.string()), next: z.string().nullable() });

export const ZPlayerTimelineInput = z.object({
  userId: ZId,
  cursor: z.string().min(1).max(1000).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

const ZTimelineEntry = z.object({
  at: z.string(),
  kind: z.enum(['events', 'assigned', 'completed', 'claimed', 'grant']),
  challengeId: z.string().nullable(),
  goalId: z.string().nullable(),
  statKey: z.string().nullable(),
  count: z.number().nullable(),
  status: z.string().nullable(),
  grantId: z.string().nullable(),
  attempt: z.number().nullable(),
  error: z.string().nullable(),
});

export const ZPlayerTimeline = z.object({
  entries: z.array(ZTimelineEntry),
  nextCursor: z.string().nullable(),
});

export function timelineEntryJson({
  ref: _ref,
  at,
  ...entry
}: PlayerTimelineEntry): z.infer<typeof ZTimelineEntry> {
  return { at: formatTimestamp(at), ...entry };
}
