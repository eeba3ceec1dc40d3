import type pg from 'pg';

export interface PingResult {
  ok: boolean;
  latencyMs: number;
  /** Why it failed, for the 503 body of /healthz. */
  error?: string;
}

/**
 * `SELECT 1` within timeoutMs. The timer also covers waiting for a pooled connection, so a
 * saturated pool or an unreachable server answers quickly instead of hanging the health check.
 */
export async function pingDatabase(pool: pg.Pool, timeoutMs = 1000): Promise<PingResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  const query = pool.query('SELECT 1');
  try {
    await Promise.race([query, timeout]);
    return { ok: true, latencyMs: performance.now() - started };
  } catch (error) {
    // The query may still settle after the timeout; nobody awaits it any more.
    query.catch(() => {});
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, latencyMs: performance.now() - started, error: `postgres: ${message}` };
  } finally {
    clearTimeout(timer);
  }
}
