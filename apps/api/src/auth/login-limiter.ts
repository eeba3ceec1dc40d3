import { createHash } from 'node:crypto';
import type { RedisClient } from '@challenges/runtime';
import type { Logger } from 'pino';
import { addressKey } from './client-address.ts';

/** One sign-in attempt: the (lower-cased) email it names and the client address it came from. */
export interface SignInAttempt {
  email: string;
  ip: string;
}

/** Why an attempt may not check a password now. */
export type LimitVerdict = 'ok' | 'locked' | 'ip' | 'slow';

export interface LoginLimiter {
  /**
   * Counts the attempt as a failure before the password is checked, atomically across every
   * replica, and says whether it may go on. Check-then-act would let concurrent guesses all
   * pass the check before any failure is recorded.
   */
  reserve(attempt: SignInAttempt): Promise<LimitVerdict>;
  /** The password was right: the attempt is refunded and the address becomes known for it. */
  succeeded(attempt: SignInAttempt): Promise<void>;
}

export interface LoginLimits {
  /** Failures of one email from one address before that pair is locked for the window. */
  perEmailAndAddress: number;
  /** Failures from one address (any email) before it may not try any for the window. */
  perAddress: number;
  /** Failures of one email from everywhere before unknown addresses are slowed down. */
  perEmail: number;
  windowSeconds: number;
  /** In slow mode, one attempt per this interval per email from addresses not known for it. */
  slowIntervalMs: number;
  /** How long a successful sign-in makes its address "known" for the email. */
  knownAddressSeconds: number;
}

const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perEmailAndAddress: 10,
  perAddress: 50,
  perEmail: 100,
  windowSeconds: 15 * 60,
  slowIntervalMs: 5000,
  knownAddressSeconds: 30 * 24 * 60 * 60,
};

// KEYS: pair, address, email, slow slot, known. Check all budgets, then count all three: one
// script, so no other attempt runs between the check and the count.
const RESERVE = `
if tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[1]) then return 'locked' end
if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[2]) then return 'ip' end
if tonumber(redis.call('GET', KEYS[3]) or '0') >= tonumber(ARGV[3])
  and redis.call('EXISTS', KEYS[5]) == 0
  and not redis.call('SET', KEYS[4], '1', 'PX', ARGV[5], 'NX') then
  return 'slow'
end
for i = 1, 3 do
  redis.call('INCR', KEYS[i])
  redis.call('EXPIRE', KEYS[i], ARGV[4], 'NX')
end
return 'ok'`;

// KEYS: pair, address, email, known. Never below zero: a counter may have expired meanwhile,
// and a DECR would then create a -1 without a TTL.
const SUCCEEDED = `
redis.call('DEL', KEYS[1])
for i = 2, 3 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
redis.call('SET', KEYS[4], '1', 'EX', ARGV[1])
return 1`;

/**
 * Sign-in budgets in Redis, shared by every api replica. The lockout is per email *and*
 * address, so an attacker's failures lock only the attacker's address, never the admin's; the
 * per-address budget stops one address from spraying many emails; the per-email budget slows
 * a distributed attack to one guess per interval without locking out an address that signed
 * in as that email before.
 *
 * Redis unreachable: attempts go through (logged), as before. Locking every live-ops user out
 * during a Redis outage would be worse, and the process's cap on concurrent password checks
 * (verification-slots.ts) still bounds the guessing rate per replica.
 */
export function redisLoginLimiter(options: {
  redis: RedisClient;
  prefix: string;
  log: Logger;
  limits?: Partial<LoginLimits>;
}): LoginLimiter {
  const { redis, log } = options;
  const limits = { ...DEFAULT_LOGIN_LIMITS, ...options.limits };
  // `{sign-in}` is a Redis Cluster hash tag: both scripts touch several of these keys at once.
  const base = `${options.prefix}:{sign-in}`;
  // Emails are hashed: keys stay short and Redis holds no address book.
  const keys = ({ email, ip }: SignInAttempt) => {
    const who = createHash('sha256').update(email).digest('hex').slice(0, 32);
    const where = addressKey(ip);
    return {
      pair: `${base}:pair:${who}:${where}`,
      address: `${base}:address:${where}`,
      email: `${base}:email:${who}`,
      slow: `${base}:slow:${who}`,
      known: `${base}:known:${who}:${where}`,
    };
  };
  let lastWarning = 0;
  const unavailable = (error: unknown) => {
    if (Date.now() - lastWarning > 10_000) {
      lastWarning = Date.now();
      log.warn({ err: error }, 'sign-in limiter unavailable (Redis): attempts are not counted');
    }
  };
  return {
    async reserve(attempt) {
      const k = keys(attempt);
      try {
        const verdict = await redis.eval(
          RESERVE,
          5,
          k.pair,
          k.address,
          k.email,
          k.slow,
          k.known,
          limits.perEmailAndAddress,
          limits.perAddress,
          limits.perEmail,
          limits.windowSeconds,
          limits.slowIntervalMs,
        );
        return verdict as LimitVerdict;
      } catch (error) {
        unavailable(error);
        return 'ok';
      }
    },
    async succeeded(attempt) {
      const k = keys(attempt);
      await redis
        .eval(SUCCEEDED, 4, k.pair, k.address, k.email, k.known, limits.knownAddressSeconds)
        .catch(unavailable);
    },
  };
}
