import { type EventBatchJob, type GameEvent, isCoreError, partitionOf } from '@challenges/core';
import { describe, expect, it } from 'vitest';
import { EventBatcher, type JobWriter } from './event-batcher.ts';

const login = (id: string, userId: string): GameEvent => ({
  type: 'login',
  id,
  userId,
  receivedAt: 1,
});

/** An in-memory writer whose writes resolve only when the test says so (one per flush). */
function sinks(partitions: number) {
  const jobs: { partition: number; job: EventBatchJob; jobId: string }[] = [];
  const writes: EventBatchJob[][] = [];
  const confirm: (() => void)[] = [];
  const fail: ((e: Error) => void)[] = [];
  const writer: JobWriter = {
    partitions,
    write: (flushed) =>
      new Promise((resolve, reject) => {
        writes.push([...flushed]);
        for (const job of flushed) jobs.push({ partition: job.partition, job, jobId: job.batchId });
        confirm.push(() => resolve(undefined));
        fail.push(reject);
      }),
  };
  return { writer, jobs, writes, confirm, fail };
}

describe('EventBatcher', () => {
  it('puts concurrent events into one job per partition and acks only after the write', async () => {
    const s = sinks(4);
    const batcher = new EventBatcher({ writer: s.writer, ready: () => true });
    let acked = 0;
    const users = ['a', 'b', 'c', 'd', 'e', 'f'];
    const done = users.map((u, i) => batcher.submit(login(`e${i}`, u)).then(() => acked++));
    const flushed = batcher.flush();
    expect(s.writes).toHaveLength(1);
    expect(s.jobs.length).toBe(new Set(users.map((u) => partitionOf(u, 4))).size);
    for (const { partition, job, jobId } of s.jobs) {
      expect(job.partition).toBe(partition);
      expect(jobId).toBe(job.batchId);
      for (const e of job.events) expect(partitionOf(e.userId, 4)).toBe(partition);
    }
    expect(acked).toBe(0);
    for (const c of s.confirm) c();
    await Promise.all([...done, flushed]);
    expect(acked).toBe(users.length);
  });

  it('flushes a partition at once when it reaches maxEvents, keeping arrival order', async () => {
    const s = sinks(1);
    const batcher = new EventBatcher({
      writer: s.writer,
      ready: () => true,
      maxEvents: 3,
    });
    for (let i = 0; i < 7; i++) void batcher.submit(login(`e${i}`, 'u'));
    expect(s.jobs.map((j) => j.job.events.map((e) => e.id))).toEqual([
      ['e0', 'e1', 'e2'],
      ['e3', 'e4', 'e5'],
    ]);
    void batcher.flush();
    expect(s.jobs).toHaveLength(3);
    expect(s.jobs[2]!.job.events.map((e) => e.id)).toEqual(['e6']);
  });

  it('writes an event on the next event-loop turn, with no linger and no flush() call', async () => {
    const s = sinks(2);
    const batcher = new EventBatcher({ writer: s.writer, ready: () => true });
    const acked = batcher.submit(login('e1', 'u'));
    void batcher.submit(login('e2', 'u'));
    expect(s.jobs).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(s.jobs.map((j) => j.job.events.map((e) => e.id))).toEqual([['e1', 'e2']]);
    s.confirm[0]!();
    await expect(acked).resolves.toBeUndefined();
  });

  it('with a linger, gathers the events of several turns into one write', async () => {
    const s = sinks(2);
    // A linger far longer than two turns take even on a loaded box (30 ms with a 5 ms timer
    // between the submits failed when a busy machine delayed that timer past the linger).
    const batcher = new EventBatcher({ writer: s.writer, ready: () => true, lingerMs: 300 });
    const started = performance.now();
    const acked = [batcher.submit(login('e1', 'u'))];
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    acked.push(batcher.submit(login('e2', 'v')));
    expect(s.writes).toHaveLength(0);
    await expect.poll(() => s.writes.length, { interval: 1 }).toBe(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(299);
    expect(s.jobs.flatMap((j) => j.job.events.map((e) => e.id)).sort()).toEqual(['e1', 'e2']);
    s.confirm[0]!();
    await Promise.all(acked);
  });

  it('holds events that arrive during a write and sends them the moment it completes', async () => {
    const s = sinks(2);
    const batcher = new EventBatcher({ writer: s.writer, ready: () => true });
    const first = batcher.submit(login('e1', 'u'));
    const written = batcher.flush();
    const later = [
      batcher.submit(login('e2', 'u')),
      batcher.submit(login('e3', 'u')),
      batcher.submit(login('e4', 'v')),
    ];
    await new Promise((resolve) => setImmediate(resolve));
    expect(s.jobs).toHaveLength(1);
    s.confirm[0]!();
    await Promise.all([first, written]);
    // Group commit: the write's completion sends the group at once, not after a timer.
    const sent = s.jobs.slice(1).map((j) => j.job.events.map((e) => e.id));
    expect(sent.flat().sort()).toEqual(['e2', 'e3', 'e4']);
    expect(sent).toContainEqual(['e2', 'e3']);
    for (const c of s.confirm.slice(1)) c();
    await Promise.all(later);
  });

  it('rejects with UNAVAILABLE when the write fails or Redis is not ready', async () => {
    const s = sinks(1);
    let ready = true;
    const batcher = new EventBatcher({ writer: s.writer, ready: () => ready });
    const pending = batcher.submit(login('e1', 'u'));
    void batcher.flush();
    s.fail[0]!(new Error('Connection is closed'));
    const error = await pending.catch((e: unknown) => e);
    expect(isCoreError(error) && error.code).toBe('UNAVAILABLE');
    ready = false;
    const refused = await batcher.submit(login('e2', 'u')).catch((e: unknown) => e);
    expect(isCoreError(refused) && refused.code).toBe('UNAVAILABLE');
    expect(s.jobs).toHaveLength(1);
  });

  it('times out a write Redis never answers', async () => {
    const s = sinks(1);
    const batcher = new EventBatcher({
      writer: s.writer,
      ready: () => true,
      ackTimeoutMs: 20,
    });
    const error = await batcher.submit(login('e1', 'u')).catch((e: unknown) => e);
    expect(isCoreError(error) && error.code).toBe('UNAVAILABLE');
  });

  it('refuses every partition of a flush its one write failed for', async () => {
    const s = sinks(2);
    const users = ['a', 'b', 'c', 'd', 'e'];
    const first = users.find((u) => partitionOf(u, 2) === 0)!;
    const second = users.find((u) => partitionOf(u, 2) === 1)!;
    const batcher = new EventBatcher({ writer: s.writer, ready: () => true });
    const both = [first, second].map((u, i) =>
      batcher.submit(login(`e${i}`, u)).catch((e: unknown) => e),
    );
    void batcher.flush();
    expect(s.writes.map((w) => w.map((j) => j.partition).sort())).toEqual([[0, 1]]);
    s.fail[0]!(new Error('OOM command not allowed'));
    for (const error of await Promise.all(both)) {
      expect(isCoreError(error) && error.code).toBe('UNAVAILABLE');
    }
  });

  it('close() writes what is pending and refuses new events', async () => {
    const s = sinks(2);
    const batcher = new EventBatcher({ writer: s.writer, ready: () => true });
    const pending = batcher.submit(login('e1', 'u'));
    const closing = batcher.close();
    expect(s.jobs).toHaveLength(1);
    s.confirm[0]!();
    await closing;
    await expect(pending).resolves.toBeUndefined();
    await expect(batcher.submit(login('e2', 'u'))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
