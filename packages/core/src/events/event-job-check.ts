import type { EventBatchJob } from './event-job.ts';

// A fast yes for the event jobs ingest writes (issue 13: the worker validated every queued job
// with zod again, ~2–3 % of its CPU). `isPlainEventBatchJob` answers true only for a value that
// ZEventBatchJob accepts *and* returns unchanged (no unknown key it would strip); anything else
// — a job added by hand, a producer bug — goes through ZEventBatchJob for its verdict and its
// message. event-job-check.test.ts holds it to that against zod over generated values.

const LOGIN_KEYS = new Set(['type', 'id', 'userId', 'timestamp', 'receivedAt']);
const STAT_KEYS = new Set([
  'type',
  'id',
  'userId',
  'statCode',
  'value',
  'inc',
  'timestamp',
  'receivedAt',
]);

const isText = (v: unknown, min: number, max: number): boolean =>
  typeof v === 'string' && v.length >= min && v.length <= max;

const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;

const isOptionalFinite = (v: unknown): boolean =>
  v === undefined || (typeof v === 'number' && Number.isFinite(v));

/** Only the keys of `allowed`, own and enumerable, on a plain object. */
function onlyKeys(event: object, allowed: ReadonlySet<string>): boolean {
  for (const key in event) if (!allowed.has(key)) return false;
  return true;
}

function isPlainEvent(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const e = value as Record<string, unknown>;
  if (!isText(e.id, 1, 128) || !isText(e.userId, 1, 128) || !isCount(e.receivedAt)) return false;
  if (e.timestamp !== undefined && !isText(e.timestamp, 0, 64)) return false;
  if (e.type === 'login') return onlyKeys(e, LOGIN_KEYS);
  if (e.type !== 'stat') return false;
  return (
    isText(e.statCode, 1, 128) &&
    isOptionalFinite(e.value) &&
    isOptionalFinite(e.inc) &&
    onlyKeys(e, STAT_KEYS)
  );
}

/** True when `value` is an EventBatchJob exactly as ZEventBatchJob.parse would return it. */
export function isPlainEventBatchJob(value: unknown): value is EventBatchJob {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const job = value as Record<string, unknown>;
  for (const key in job)
    if (key !== 'batchId' && key !== 'partition' && key !== 'events') return false;
  if (!isText(job.batchId, 1, 64) || !isCount(job.partition)) return false;
  const events = job.events;
  if (!Array.isArray(events) || events.length < 1 || events.length > 5000) return false;
  for (let i = 0; i < events.length; i++) if (!isPlainEvent(events[i])) return false;
  return true;
}
