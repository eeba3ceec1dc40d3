import { runArrivals } from '@challenges/loadtest/arrival';

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
 * A fixed number of requests at a constant rate, on the load-test runner's arrival engine (one
 * open-model scheduler for `npm run bench` and `npm run loadtest`): request i is due at
 * i / rate and timed from that instant, so queueing shows up as latency (no coordinated
 * omission). No warm-up ramp (the bench warms up with a run of its own), no in-flight cap and
 * no drops: every request is sent and answered.
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const now = options.now ?? (() => performance.now());
  const latencies = new Float64Array(options.requests);
  const errors: Record<string, number> = {};
  let answered = 0;
  let ok = 0;
  let maxSendLagMs = 0;
  let firstDue = Number.POSITIVE_INFINITY;
  let lastAnswer = 0;

  const result = await runArrivals({
    rate: options.rate,
    // Half a slot past the last request: arrivalCount floors rate × duration to `requests`.
    durationS: (options.requests + 0.5) / options.rate,
    warmupS: 0,
    maxInFlight: Number.MAX_SAFE_INTEGER,
    dropAfterMs: Number.POSITIVE_INFINITY,
    now,
    iteration: async ({ index, scheduledAt }) => {
      firstDue = Math.min(firstDue, scheduledAt);
      maxSendLagMs = Math.max(maxSendLagMs, now() - scheduledAt);
      try {
        await options.send(index);
        ok++;
      } catch (error) {
        const kind = errorKind(error);
        errors[kind] = (errors[kind] ?? 0) + 1;
      } finally {
        lastAnswer = now();
        latencies[answered++] = lastAnswer - scheduledAt;
      }
    },
  });

  return {
    requests: result.scheduled,
    ok,
    errors,
    latenciesMs: latencies.subarray(0, answered),
    elapsedMs: lastAnswer - firstDue,
    maxInFlight: result.maxInFlight,
    maxSendLagMs,
  };
}
