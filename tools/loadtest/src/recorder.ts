import type { EndpointReport, LatencyMinute } from './contract.ts';
import { LatencyHistogram } from './histogram.ts';

export type CallKind = 'request' | 'event';

interface EndpointState {
  kind: CallKind;
  histogram: LatencyHistogram;
  ok: number;
  errors: number;
  errorKinds: Record<string, number>;
}

export function errorKind(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    // grpc-js ServiceError: numeric status code plus details.
    if (typeof code === 'number') return `grpc ${code}: ${error.message.slice(0, 60)}`;
    return error.message.slice(0, 80);
  }
  return String(error).slice(0, 80);
}

/** Per-endpoint latency and outcome of the measured phase, plus a per-second window for progress. */
export class Recorder {
  readonly endpoints = new Map<string, EndpointState>();
  readonly all = new LatencyHistogram();
  private window = { request: 0, event: 0 };
  private interval = { request: new LatencyHistogram(), event: new LatencyHistogram() };
  completed = 0;
  errors = 0;
  /** Warm-up included: what the server saw, for comparing with its own counters. */
  readonly sentAll = { request: 0, event: 0 };
  readonly okAll = { request: 0, event: 0 };

  record(
    endpoint: string,
    kind: CallKind,
    latencyMs: number,
    error: string | undefined,
    measured: boolean,
  ): void {
    this.window[kind]++;
    this.sentAll[kind]++;
    if (error === undefined) this.okAll[kind]++;
    if (!measured) return;
    let state = this.endpoints.get(endpoint);
    if (!state) {
      state = { kind, histogram: new LatencyHistogram(), ok: 0, errors: 0, errorKinds: {} };
      this.endpoints.set(endpoint, state);
    }
    // Failed calls are timed too: a timeout is the slowest answer there is.
    state.histogram.record(latencyMs);
    this.interval[kind].record(latencyMs);
    if (kind === 'request') this.all.record(latencyMs);
    this.completed++;
    if (error === undefined) state.ok++;
    else {
      state.errors++;
      this.errors++;
      state.errorKinds[error] = (state.errorKinds[error] ?? 0) + 1;
    }
  }

  /** Calls completed since the last take (warm-up included), for the per-second progress. */
  takeWindow(): { request: number; event: number } {
    const taken = this.window;
    this.window = { request: 0, event: 0 };
    return taken;
  }

  /** The measured calls since the last take, as minute `minute` of the steady phase. */
  takeMinute(minute: number): LatencyMinute {
    const taken = this.interval;
    this.interval = { request: new LatencyHistogram(), event: new LatencyHistogram() };
    const of = (h: LatencyHistogram) => {
      const { count, p95Ms, p99Ms } = h.stats();
      return { count, p95Ms, p99Ms };
    };
    return { minute, requests: of(taken.request), events: of(taken.event) };
  }

  count(kind: CallKind): number {
    let n = 0;
    for (const s of this.endpoints.values()) if (s.kind === kind) n += s.histogram.count;
    return n;
  }

  okCount(kind: CallKind): number {
    let n = 0;
    for (const s of this.endpoints.values()) if (s.kind === kind) n += s.ok;
    return n;
  }

  report(measuredS: number): EndpointReport[] {
    return [...this.endpoints]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([endpoint, s]) => ({
        endpoint,
        ...s.histogram.stats(),
        ok: s.ok,
        errors: s.errors,
        throughput: measuredS > 0 ? Math.round((s.histogram.count / measuredS) * 10) / 10 : 0,
        errorKinds: s.errorKinds,
      }));
  }

  errorsByKind(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [endpoint, s] of this.endpoints) {
      for (const [kind, n] of Object.entries(s.errorKinds)) out[`${endpoint}: ${kind}`] = n;
    }
    return out;
  }
}
