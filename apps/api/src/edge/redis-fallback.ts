import type { Logger } from 'pino';

// Redis answers a limiter's script in well under a millisecond; a reply this late means it is
// stalled (a frozen process, a half-open connection), and a request must not wait on it.
const REDIS_DEADLINE_MS = 250;
// After a failure Redis is tried again at most this often, so a stalled Redis delays one
// request per interval rather than every request.
const RETRY_AFTER_MS = 1000;

/**
 * Runs a limiter's Redis step, or its in-process stand-in while Redis is unreachable or stalled
 * (no reply within REDIS_DEADLINE_MS). The switch is logged once each way, not per request.
 */
export function redisWithFallback(log: Logger, what: string) {
  let inRedis = true;
  let retryAt = 0;
  return async <T>(inRedisStep: () => Promise<T>, inProcessStep: () => T): Promise<T> => {
    if (!inRedis && performance.now() < retryAt) return inProcessStep();
    let result: T;
    try {
      result = await deadline(inRedisStep());
    } catch (error) {
      retryAt = performance.now() + RETRY_AFTER_MS;
      if (inRedis) {
        inRedis = false;
        log.warn(
          { err: error },
          `${what}: Redis unavailable, counted per api process until it is back`,
        );
      }
      return inProcessStep();
    }
    if (!inRedis) {
      inRedis = true;
      log.info(`${what}: Redis is back, counted there again`);
    }
    return result;
  };
}

function deadline<T>(reply: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Redis did not answer within ${REDIS_DEADLINE_MS} ms`)),
      REDIS_DEADLINE_MS,
    );
  });
  return Promise.race([reply, late]).finally(() => clearTimeout(timer));
}
