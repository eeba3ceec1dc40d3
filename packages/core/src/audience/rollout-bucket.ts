/** Buckets per rollout: 0..9999, so rolloutPercent has two decimals of resolution. */
export const ROLLOUT_BUCKETS = 10_000;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnvByte(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, FNV_PRIME);
}

/** FNV-1a over the UTF-8 bytes of `text`, continuing from `hash` (no allocation). */
function fnvUtf8(start: number, text: string): number {
  let hash = start;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code < 0xdc00 && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low < 0xe000) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    } else if (code >= 0xd800 && code < 0xe000) {
      code = 0xfffd; // a lone surrogate encodes as U+FFFD, as TextEncoder does
    }
    if (code < 0x80) hash = fnvByte(hash, code);
    else if (code < 0x800) {
      hash = fnvByte(hash, 0xc0 | (code >> 6));
      hash = fnvByte(hash, 0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      hash = fnvByte(hash, 0xe0 | (code >> 12));
      hash = fnvByte(hash, 0x80 | ((code >> 6) & 0x3f));
      hash = fnvByte(hash, 0x80 | (code & 0x3f));
    } else {
      hash = fnvByte(hash, 0xf0 | (code >> 18));
      hash = fnvByte(hash, 0x80 | ((code >> 12) & 0x3f));
      hash = fnvByte(hash, 0x80 | ((code >> 6) & 0x3f));
      hash = fnvByte(hash, 0x80 | (code & 0x3f));
    }
  }
  return hash;
}

/** MurmurHash3's finalizer: FNV's low bits alone are not uniform enough for a modulo. */
function fmix32(input: number): number {
  let h = input;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The player's sticky rollout bucket for a challenge, 0..9999: FNV-1a (32 bit) over the UTF-8
 * bytes of playerId, one 0x00 byte and challengeId, then MurmurHash3's fmix32, modulo 10,000.
 * The same on every process and release (the tests pin values), so raising a percentage only
 * adds players and a player never flips in and out.
 */
export function rolloutBucket(playerId: string, challengeId: string): number {
  const hash = fnvUtf8(fnvByte(fnvUtf8(FNV_OFFSET, playerId), 0), challengeId);
  return fmix32(hash) % ROLLOUT_BUCKETS;
}

/** In the rollout iff bucket < rolloutPercent × 100 (absent: 100 %). */
export function inRollout(bucket: number, rolloutPercent: number | undefined): boolean {
  return rolloutPercent === undefined || bucket < Math.round(rolloutPercent * 100);
}
