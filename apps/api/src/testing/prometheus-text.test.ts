import { describe, expect, it } from 'vitest';
import { histogramBounds, parsePrometheusText } from './prometheus-text.ts';

const HISTOGRAM = `# HELP d_seconds Duration.
# TYPE d_seconds histogram
d_seconds_bucket{le="0.001",route="/a"} 1
d_seconds_bucket{le="0.1",route="/a"} 3
d_seconds_bucket{le="+Inf",route="/a"} 4
d_seconds_sum{route="/a"} 0.5
d_seconds_count{route="/a"} 4
# HELP up Up.
# TYPE up gauge
up{job="x \\"y\\""} 1
`;

describe('parsePrometheusText', () => {
  it('reads families, labels with escapes and histogram bounds', () => {
    const families = parsePrometheusText(HISTOGRAM);
    expect(families.get('up')?.samples[0]?.labels).toEqual({ job: 'x "y"' });
    expect(histogramBounds(families.get('d_seconds')!)).toEqual([0.001, 0.1]);
  });

  it.each([
    ['a sample without TYPE', 'x 1\n'],
    ['a bad value', '# TYPE x gauge\nx one\n'],
    ['an unquoted label', '# TYPE x gauge\nx{a=1} 1\n'],
    ['a duplicate series', '# TYPE x gauge\nx 1\nx 2\n'],
    ['buckets without +Inf', HISTOGRAM.replace('le="+Inf"', 'le="1"')],
    [
      '+Inf ≠ _count',
      HISTOGRAM.replace('d_seconds_count{route="/a"} 4', 'd_seconds_count{route="/a"} 5'),
    ],
    ['decreasing counts', HISTOGRAM.replace('{le="0.1",route="/a"} 3', '{le="0.1",route="/a"} 0')],
    ['le not increasing', HISTOGRAM.replace('le="0.1"', 'le="0.0001"')],
  ])('rejects %s', (_what, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
