import { createHash } from 'node:crypto';
import type { RedisClient } from '@challenges/runtime';
import type { Logger } from 'pino';
import { redisWithFallback } from '../edge/redis-fallback.ts';
import { addressKey } from './client-address.ts';
import { type AttemptKeys, inProcessLoginLimits } from './in-process-login-limiter.ts';

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
 * Redis unreachable or stalled: the same budgets are counted in this process (per replica, from
 * zero), and the switch is logged once each way. Nobody is locked out by the outage itself, and
 * a guesser still meets the budgets on each replica.
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
  const keys = ({ email, ip }: SignInAttempt): AttemptKeys => {
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
  const local = inProcessLoginLimits(limits);
  const counted = redisWithFallback(log, 'sign-in limits');
  return {
    async reserve(attempt) {
      const k = keys(attempt);
      return counted(
        async () =>
          (await redis.eval(
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
          )) as LimitVerdict,
        () => local.reserve(k),
      );
    },
    async succeeded(attempt) {
      const k = keys(attempt);
      await counted(
        async () => {
          await redis.eval(
            SUCCEEDED,
            4,
            k.pair,
            k.address,
            k.email,
            k.known,
            limits.knownAddressSeconds,
          );
        },
        () => local.succeeded(k),
      );
    },
  };
}
