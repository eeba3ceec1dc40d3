import { setTimeout as sleep } from 'node:timers/promises';

export interface IterationContext {
  index: number;
  /** performance.now() at which this iteration was due: latency is measured from here. */
  scheduledAt: number;
  /** false during the warm-up ramp: its calls are not part of the report. */
  measured: boolean;
}

export interface ArrivalOptions {
  /** Iterations per second once warmed up (open model: nobody waits for earlier answers). */
  rate: number;
  durationS: number;
  /** The rate ramps linearly from 0 to `rate` over this many seconds before the measured phase. */
  warmupS: number;
  /** Concurrent iterations at most (like k6's VUs); beyond it due iterations wait in a backlog. */
  maxInFlight: number;
  /** A backlogged iteration older than this is dropped and counted, never silently skipped. */
  dropAfterMs: number;
  /** Started more than this after the schedule counts as late. */
  lateMs?: number;
  /**
   * Due times are rounded up to multiples of this many ms of `performance.now()` (0: none): the
   * iterations of a tick start together, and every stream of a run that uses the same tick
   * wakes up at the same instants — one timer per tick instead of one per iteration.
   */
  tickMs?: number;
  /** Rejections count as failed iterations; per-call errors are the iteration's to record. */
  iteration: (ctx: IterationContext) => Promise<void>;
  signal?: AbortSignal;
  now?: () => number;
}

export interface ArrivalResult {
  scheduled: number;
  started: number;
  completed: number;
  failed: number;
  dropped: number;
  late: number;
  maxInFlight: number;
  /** performance.now() at which the measured phase began. */
  measureStart: number;
}

/** Due time (s from start) of iteration k: a linear ramp of length w, then a constant rate. */
export function arrivalTime(k: number, rate: number, warmupS: number): number {
  const rampCount = (rate * warmupS) / 2;
  if (k < rampCount) return Math.sqrt((2 * warmupS * k) / rate);
  return warmupS + (k - rampCount) / rate;
}

export function arrivalCount(rate: number, warmupS: number, durationS: number): number {
  return Math.floor((rate * warmupS) / 2 + rate * durationS);
}

/**
 * Constant arrival rate without coordinated omission: an iteration's clock starts at its
 * scheduled instant, whether the client fires it on time, late (all slots busy, or the event
 * loop lagged) or not at all (dropped, counted).
 */
export async function runArrivals(options: ArrivalOptions): Promise<ArrivalResult> {
  const now = options.now ?? (() => performance.now());
  const lateMs = options.lateMs ?? 10;
  const tick = options.tickMs ?? 0;
  const total = arrivalCount(options.rate, options.warmupS, options.durationS);
  const start = now() + 1;
  const dueOf = (k: number): number => {
    const due = start + arrivalTime(k, options.rate, options.warmupS) * 1000;
    return tick > 0 ? Math.ceil(due / tick) * tick : due;
  };
  const measureStart = start + options.warmupS * 1000;
  const result: ArrivalResult = {
    scheduled: 0,
    started: 0,
    completed: 0,
    failed: 0,
    dropped: 0,
    late: 0,
    maxInFlight: 0,
    measureStart,
  };
  const backlog: IterationContext[] = [];
  let inFlight = 0;
  // Resolved when an iteration settles, for the wait at the end of the schedule.
  let settled: (() => void) | undefined;

  // One promise reaction per iteration: the generator shares the machine it measures.
  const settle = (): void => {
    inFlight--;
    drainBacklog();
    settled?.();
  };
  const onCompleted = (): void => {
    result.completed++;
    settle();
  };
  const onFailed = (): void => {
    result.failed++;
    settle();
  };
  const launch = (ctx: IterationContext): void => {
    inFlight++;
    result.started++;
    if (inFlight > result.maxInFlight) result.maxInFlight = inFlight;
    if (now() - ctx.scheduledAt > lateMs) result.late++;
    options.iteration(ctx).then(onCompleted, onFailed);
  };
  const drainBacklog = (): void => {
    while (backlog.length > 0 && inFlight < options.maxInFlight) {
      const ctx = backlog.shift()!;
      if (now() - ctx.scheduledAt > options.dropAfterMs) result.dropped++;
      else launch(ctx);
    }
    while (backlog.length > 0 && now() - backlog[0]!.scheduledAt > options.dropAfterMs) {
      backlog.shift();
      result.dropped++;
    }
  };

  let k = 0;
  while (k < total && !options.signal?.aborted) {
    const current = now();
    // Timers wake up late; everything already due fires now, each timed from its own slot.
    for (let due = dueOf(k); k < total; ) {
      if (due > current) break;
      const ctx = { index: k, scheduledAt: due, measured: due >= measureStart };
      result.scheduled++;
      if (inFlight < options.maxInFlight && backlog.length === 0) launch(ctx);
      else backlog.push(ctx);
      k++;
      due = dueOf(k);
    }
    drainBacklog();
    if (k < total) {
      const wait = dueOf(k) - now();
      await sleep(Math.max(0, Math.min(wait, 50)));
    }
  }
  // Whatever is still backlogged when the schedule ends waits for a slot like the rest.
  while (inFlight > 0 || backlog.length > 0) {
    if (inFlight === 0) drainBacklog();
    else
      await new Promise<void>((resolve) => {
        settled = resolve;
      });
    if (options.signal?.aborted) {
      result.dropped += backlog.length;
      backlog.length = 0;
    }
  }
  return result;
}
