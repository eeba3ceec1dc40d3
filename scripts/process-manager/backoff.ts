export interface BackoffPolicy {
  /** Delay before the first restart; doubled for each further consecutive crash. */
  baseMs: number;
  maxMs: number;
  /** A child that stayed up this long counts as healthy, so its next crash starts over at baseMs. */
  resetAfterMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1_000, maxMs: 30_000, resetAfterMs: 60_000 };

/** Delay before restart number `attempt` (0-based) of a crash loop: base, 2·base, 4·base … ≤ max. */
export function restartDelayMs(attempt: number, policy: BackoffPolicy = defaultBackoff): number {
  // Cap the exponent so 2 ** attempt cannot overflow to Infinity in a very long crash loop.
  const factor = 2 ** Math.min(Math.max(attempt, 0), 30);
  return Math.min(policy.baseMs * factor, policy.maxMs);
}

export interface RestartPlan {
  delayMs: number;
  /** The attempt number to remember for the crash after this restart. */
  nextAttempt: number;
}

/**
 * Decides the restart of a child that exited after `uptimeMs`, given how many restarts in a row
 * already happened. Deciding at exit time is equivalent to a 60 s "healthy" timer, without one.
 */
export function planRestart(
  attempt: number,
  uptimeMs: number,
  policy: BackoffPolicy = defaultBackoff,
): RestartPlan {
  const current = uptimeMs >= policy.resetAfterMs ? 0 : attempt;
  return { delayMs: restartDelayMs(current, policy), nextAttempt: current + 1 };
}
