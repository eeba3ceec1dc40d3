/**
 * Where the worker tells the api replicas which players changed (docs/push.md): one Redis
 * stream per shard, a player always in the same shard, and beside each stream the id of each
 * player's latest change (for a reconnect's `Last-Event-ID`). The hash tag puts a shard's
 * stream and its players' keys in one cluster slot, so one script writes them together.
 */
export const PUSH_SHARDS = 16;

/** Entries a shard's stream keeps (approximately: `MAXLEN ~`). */
export const PUSH_STREAM_MAXLEN = 10_000;

/** FNV-1a of the user id, modulo the shard count. */
export function pushShardOf(userId: string, shards = PUSH_SHARDS): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

export function pushStreamKey(prefix: string, shard: number): string {
  return `${prefix}:push:{push-${shard}}`;
}

export function pushLastKey(prefix: string, shard: number, userId: string): string {
  return `${prefix}:push:{push-${shard}}:last:${userId}`;
}

/** A stream entry id (`<ms>-<seq>`) as a comparable pair, or undefined when malformed. */
export function parseStreamId(id: string | undefined): [number, number] | undefined {
  const match = id?.match(/^(\d{1,15})-(\d{1,15})$/);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2])];
}

/** Negative, zero or positive as `a` is before, equal to or after `b` (both well formed). */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = parseStreamId(a) ?? [0, 0];
  const [bm, bs] = parseStreamId(b) ?? [0, 0];
  return am === bm ? as - bs : am - bm;
}
