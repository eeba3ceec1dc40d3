import type { PlayerAttributes } from '@challenges/core';
import type { PlayerAttributesRepository } from '@challenges/db';

/**
 * How long a player's attributes are served from this process's memory. Writes through this
 * process (PUT, JWT claims merged) update the entry at once; a write through another replica is
 * seen here at most this much later (docs/definitions.md#audiences).
 */
export const ATTRIBUTES_TTL_MS = 1_000;
/** Entries kept at most (the oldest written goes first): ~1 kB each. */
export const ATTRIBUTES_MAX_ENTRIES = 10_000;

interface Entry {
  attributes: PlayerAttributes;
  expiresAt: number;
}

/**
 * The repository with its reads cached per player for `ttlMs`: with audiences live, every
 * player call read the attributes (one primary-key query) though they change rarely.
 */
export function cachedPlayerAttributes(
  repo: PlayerAttributesRepository,
  options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
): PlayerAttributesRepository {
  const ttlMs = options.ttlMs ?? ATTRIBUTES_TTL_MS;
  const maxEntries = options.maxEntries ?? ATTRIBUTES_MAX_ENTRIES;
  const now = options.now ?? (() => performance.now());
  // A Map iterates in insertion order: re-inserting on write makes the first key the oldest.
  const entries = new Map<string, Entry>();
  // Counts writes through this process: a read that overlapped one may return what it read, but
  // does not keep it (it may be older than what the write left).
  let writes = 0;
  const remember = (userId: string, attributes: PlayerAttributes) => {
    entries.delete(userId);
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    entries.set(userId, { attributes, expiresAt: now() + ttlMs });
  };
  return {
    async get(userId) {
      const entry = entries.get(userId);
      if (entry !== undefined && entry.expiresAt > now()) return entry.attributes;
      const before = writes;
      const attributes = await repo.get(userId);
      if (writes === before) remember(userId, attributes);
      return attributes;
    },
    async replace(userId, attributes, at) {
      entries.delete(userId);
      await repo.replace(userId, attributes, at);
      writes++;
      remember(userId, attributes);
    },
    async merge(userId, attributes, at) {
      entries.delete(userId);
      const merged = await repo.merge(userId, attributes, at);
      writes++;
      remember(userId, merged);
      return merged;
    },
  };
}
