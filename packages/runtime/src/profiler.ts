import { Session } from 'node:inspector/promises';
import {
  type CpuProfile,
  type HeapProfile,
  type ProfileSummary,
  summariseCpuProfile,
  summariseHeapProfile,
} from './profile-summary.ts';

export type ProfileKind = 'cpu' | 'heap';

export interface TakenProfile {
  kind: ProfileKind;
  seconds: number;
  summary: ProfileSummary;
  /** The .cpuprofile / .heapprofile JSON text, loadable in Chrome DevTools. */
  raw: string;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// One profile at a time per process: V8 keeps one sampling profiler per isolate, and two
// overlapping sessions would each see the other's stop.
let queue: Promise<unknown> = Promise.resolve();

async function take(kind: ProfileKind, seconds: number): Promise<TakenProfile> {
  const session = new Session();
  session.connect();
  try {
    if (kind === 'cpu') {
      await session.post('Profiler.enable');
      // 1 ms sampling (V8's default is ~1 ms too); finer costs CPU in the profiled process.
      await session.post('Profiler.setSamplingInterval', { interval: 1000 });
      await session.post('Profiler.start');
      await delay(seconds * 1000);
      const { profile } = await session.post('Profiler.stop');
      await session.post('Profiler.disable');
      const raw = JSON.stringify(profile);
      return { kind, seconds, raw, summary: summariseCpuProfile(profile as unknown as CpuProfile) };
    }
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', { samplingInterval: 32 * 1024 });
    await delay(seconds * 1000);
    const { profile } = await session.post('HeapProfiler.stopSampling');
    await session.post('HeapProfiler.disable');
    const raw = JSON.stringify(profile);
    return { kind, seconds, raw, summary: summariseHeapProfile(profile as unknown as HeapProfile) };
  } finally {
    session.disconnect();
  }
}

/** Profiles this process for `seconds` (CPU, or a sampling heap profile). */
export function takeProfile(kind: ProfileKind, seconds: number): Promise<TakenProfile> {
  const run = queue.then(() => take(kind, seconds));
  queue = run.catch(() => undefined);
  return run;
}
