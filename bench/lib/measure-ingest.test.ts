import { describe, expect, it } from 'vitest';
import { flushTotals } from './measure-ingest.ts';

describe('flushTotals', () => {
  it('reads jobs and events from the flush batch-size histogram, not its buckets', () => {
    const text = [
      '# TYPE challenge_ingest_flush_batch_size histogram',
      'challenge_ingest_flush_batch_size_bucket{le="1"} 90',
      'challenge_ingest_flush_batch_size_bucket{le="+Inf"} 100',
      'challenge_ingest_flush_batch_size_sum 130',
      'challenge_ingest_flush_batch_size_count 100',
      'challenge_ingest_flush_duration_seconds_sum 0.2',
      'challenge_ingest_flush_duration_seconds_count 40',
    ].join('\n');
    expect(flushTotals(text)).toEqual({ jobs: 100, events: 130, writes: 40 });
  });

  it('gives NaN when the api does not expose the histogram', () => {
    expect(flushTotals('')).toEqual({ jobs: Number.NaN, events: Number.NaN, writes: Number.NaN });
  });
});
