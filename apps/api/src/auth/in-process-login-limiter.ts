import type { LimitVerdict, LoginLimits } from './login-limiter.ts';

/** The keys of one attempt, as the Redis limiter names them. */
export interface AttemptKeys {
  pair: string;
  address: string;
  email: string;
  slow: string;
  known: string;
}

// An outage with a flood of distinct emails or addresses must not grow the map without bound:
// past this many entries the expired ones are swept on the next write.
const SWEEP_ABOVE = 10_000;

/**
 * The sign-in budgets of login-limiter.ts's RESERVE and SUCCEEDED scripts, step for step, kept
 * in this process: what counts attempts while Redis is unreachable. Each replica then counts
 * on its own (N replicas allow N × each budget); login-limiter.integration.test.ts runs every
 * case against both, so the two cannot drift apart.
 */
export function inProcessLoginLimits(limits: LoginLimits, now: () => number = Date.now) {
  const entries = new Map<string, { value: number; expiresAt: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) entries.delete(key);
    return entries.get(key);
  };
  const put = (key: string, value: number, ttlMs: number) => {
    if (entries.size > SWEEP_ABOVE) {
      for (const [k, e] of entries) if (e.expiresAt <= now()) entries.delete(k);
    }
    entries.set(key, { value, expiresAt: now() + ttlMs });
  };
  const count = (key: string) => live(key)?.value ?? 0;

  return {
    reserve(k: AttemptKeys): LimitVerdict {
      if (count(k.pair) >= limits.perEmailAndAddress) return 'locked';
      if (count(k.address) >= limits.perAddress) return 'ip';
      if (count(k.email) >= limits.perEmail && !live(k.known)) {
        if (live(k.slow)) return 'slow';
        put(k.slow, 1, limits.slowIntervalMs);
      }
      for (const key of [k.pair, k.address, k.email]) {
        const entry = live(key);
        if (entry) entry.value += 1;
        else put(key, 1, limits.windowSeconds * 1000);
      }
      return 'ok';
    },
    succeeded(k: AttemptKeys): void {
      entries.delete(k.pair);
      for (const key of [k.address, k.email]) {
        const entry = live(key);
        if (entry && entry.value > 0) entry.value -= 1;
      }
      put(k.known, 1, limits.knownAddressSeconds * 1000);
    },
  };
}
