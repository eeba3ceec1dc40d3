import { setTimeout as sleep } from 'node:timers/promises';

export interface OpenLoopOptions {
  /** Requests per second, fixed: arrivals do not wait for earlier answers (open model). */
  rate: number;
  requests: number;
  /** Sends request `index`; resolves when the full answer has arrived, rejects on any failure. */
  send: (index: number) => Promise<void>;
  now?: () => number;
}

export interface OpenLoopResult {
  requests: number;
  ok: number;
  errors: Record<string, number>;
  /** Completion time minus *scheduled* send time, ms, for every answered request. */
  latenciesMs: Float64Array;
  /** First scheduled send to last answer, ms. */
  elapsedMs: number;
  maxInFlight: number;
  /** How late the client fired its worst request: if large, the client, not the server, lagged. */
  maxSendLagMs: number;
}

export function errorKind(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : error.message.slice(0, 80);
  }
  return String(error);
}

/**
 * Fires request i at start + i / rate and times it from that planned instant, so a slow answer
 * delays nobody else's start and queueing shows up in the latency (no coordinated omission).
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const now = options.now ?? (() => performance.now());
  const interval = 1000 / options.rate;
  const latencies = new Float64Array(options.requests);
  const errors: Record<string, number> = {};
  const pending = new Set<Promise<void>>();
  let answered = 0;
  let ok = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let maxSendLagMs = 0;
  let lastAnswer = 0;

  const fire = (index: number, scheduled: number): void => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    maxSendLagMs = Math.max(maxSendLagMs, now() - scheduled);
    const done = options
      .send(index)
      .then(
        () => {
          ok++;
        },
        (error: unknown) => {
          const kind = errorKind(error);
          errors[kind] = (errors[kind] ?? 0) + 1;
        },
      )
      .finally(() => {
        inFlight--;
        lastAnswer = now();
        latencies[answered++] = lastAnswer - scheduled;
        pending.delete(done);
      });
    pending.add(done);
  };

  const start = now() + 1;
  let next = 0;
  while (next < options.requests) {
    const current = now();
    // Timers wake up late; catch up by firing everything that is due, each timed from its slot.
    while (next < options.requests && start + next * interval <= current) {
      fire(next, start + next * interval);
      next++;
    }
    if (next < options.requests) await sleep(Math.max(0, start + next * interval - now()));
  }
  await Promise.all(pending);

  return {
    requests: options.requests,
    ok,
    errors,
    latenciesMs: latencies.subarray(0, answered),
    elapsedMs: lastAnswer - start,
    maxInFlight,
    maxSendLagMs,
  };
}
