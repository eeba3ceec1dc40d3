import { CoreError } from '@challenges/core';
import type {
  PlayerHistoryRepository,
  PlayerTimelineCursor,
  PlayerTimelineEntry,
} from '@challenges/db';

/** The dashboard's look-up of players: who exists, and what happened to one of them. */
export interface PlayerHistoryDeps {
  playerHistory: PlayerHistoryRepository;
}

/** Player ids that start with `prefix`, in id order; `after` is the last id of the page before. */
export function searchPlayers(
  ctx: PlayerHistoryDeps,
  input: { prefix: string; after?: string; limit: number },
): Promise<{ ids: string[]; next: string | null }> {
  return ctx.playerHistory.searchIds(input);
}

// The cursor is opaque to the dashboard: the last entry's position, base64url JSON.
function encodeCursor(cursor: PlayerTimelineCursor): string {
  const json = JSON.stringify([cursor.at.toISOString(), cursor.kind, cursor.ref]);
  return Buffer.from(json).toString('base64url');
}

function decodeCursor(text: string): PlayerTimelineCursor {
  try {
    const [at, kind, ref] = JSON.parse(Buffer.from(text, 'base64url').toString()) as unknown[];
    const when = new Date(String(at));
    if (typeof kind === 'string' && typeof ref === 'string' && !Number.isNaN(when.getTime())) {
      return { at: when, kind, ref };
    }
  } catch {
    // falls through to the refusal below
  }
  throw new CoreError('INVALID_ARGUMENT', 'cursor is not one this api handed out');
}

/** One player's timeline, newest first, a page at a time. */
export async function playerTimeline(
  ctx: PlayerHistoryDeps,
  input: { userId: string; cursor?: string; limit: number },
): Promise<{ entries: PlayerTimelineEntry[]; nextCursor: string | null }> {
  const before = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
  const page = await ctx.playerHistory.timeline({
    userId: input.userId,
    before,
    limit: input.limit,
  });
  return { entries: page.entries, nextCursor: page.next ? encodeCursor(page.next) : null };
}
