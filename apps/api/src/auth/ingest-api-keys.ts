import { createHash, randomBytes } from 'node:crypto';
import type { IngestApiKeyRepository } from '@challenges/db';
import type { IngestKeyVerifier } from './ingest-keys.ts';

const KEY_PREFIX = 'chk_';
/** Characters shown in the dashboard: the marker plus 8 random characters tell keys apart. */
const DISPLAY_LENGTH = KEY_PREFIX.length + 8;

// The keys are 256 random bits, so a plain sha256 is enough: there is nothing to brute-force,
// and a fast hash keeps the lookup on the ingest path cheap (argon2 is for human passwords).
export function hashIngestKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A fresh key: the plaintext (shown once), what is stored of it, and what the dashboard shows. */
export function newIngestKey(): { plaintext: string; keyHash: string; prefix: string } {
  const plaintext = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return {
    plaintext,
    keyHash: hashIngestKey(plaintext),
    prefix: plaintext.slice(0, DISPLAY_LENGTH),
  };
}

export interface CachedIngestKeyVerifier extends IngestKeyVerifier {
  /** Forgets cached answers, so a revoke on this replica applies at once. */
  invalidate(): void;
}

/**
 * Keys created in the dashboard. Answers (also "no") are cached for a few seconds so a
 * producer posting many batches costs one lookup per window, and a flood of bad keys cannot
 * turn into a flood of queries; a revoke reaches other replicas within `cacheMs`.
 */
export function databaseIngestKeys(
  repo: IngestApiKeyRepository,
  options: { cacheMs?: number; maxEntries?: number; now?: () => number } = {},
): CachedIngestKeyVerifier {
  const cacheMs = options.cacheMs ?? 5000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { ok: boolean; until: number }>();
  return {
    async verify(key) {
      if (!key.startsWith(KEY_PREFIX) || key.length > 128) return false;
      const hash = hashIngestKey(key);
      const hit = cache.get(hash);
      if (hit && hit.until > now()) return hit.ok;
      const ok = await repo.isActiveHash(hash);
      if (cache.size >= maxEntries) cache.clear();
      cache.set(hash, { ok, until: now() + cacheMs });
      return ok;
    },
    invalidate() {
      cache.clear();
    },
  };
}
