import { describe, expect, it } from 'vitest';
import { plotSeries, renderSvg } from './plot.ts';
import type { ScenarioResult } from './report.ts';

function run(
  scenario: string,
  startedAt: string,
  cpuMsPerRequest: number,
  target: number,
): ScenarioResult {
  return {
    scenario,
    title: `${scenario} title`,
    startedAt,
    result: { cpuMsPerRequest },
    targets: { cpuMsPerRequest: target },
  } as ScenarioResult;
}

describe('plotSeries', () => {
  it('orders each path by run time, takes the newest target, and drops other scenarios', () => {
    const series = plotSeries([
      run('list', '2026-12-05T01:00:00Z', 0.78, 1),
      run('startup', '2026-12-05T02:00:00Z', 9, 9),
      run('grpc-list', '2026-11-27T00:00:00Z', 1.5, 1),
      run('list', '2026-11-27T00:00:00Z', 0.99, 2),
    ]);
    expect(series).toEqual([
      {
        scenario: 'list',
        title: 'list title',
        points: [
          { startedAt: '2026-11-27T00:00:00Z', cpuMsPerRequest: 0.99 },
          { startedAt: '2026-12-05T01:00:00Z', cpuMsPerRequest: 0.78 },
        ],
        target: 1,
      },
      {
        scenario: 'grpc-list',
        title: 'grpc-list title',
        points: [{ startedAt: '2026-11-27T00:00:00Z', cpuMsPerRequest: 1.5 }],
        target: 1,
      },
    ]);
  });

  it('skips a result without a CPU figure', () => {
    const broken = {
      ...run('apply', '2026-12-05T00:00:00Z', 1, 0.5),
      result: {},
    } as ScenarioResult;
    expect(
      plotSeries([broken, run('apply', '2026-12-04T00:00:00Z', 1.5, 0.5)])[0]?.points,
    ).toHaveLength(1);
  });
});

describe('renderSvg', () => {
  it('draws one panel per path with its latest figure and a dashed target line', () => {
    const svg = renderSvg(plotSeries([run('ingest', '2026-12-05T00:00:00Z', 0.482, 0.3)]));
    expect(svg).toContain('latest 0.48 · target ≤ 0.30');
    expect(svg).toMatch(/stroke-dasharray/);
    expect(svg.match(/<circle /g)).toHaveLength(1);
  });
});
