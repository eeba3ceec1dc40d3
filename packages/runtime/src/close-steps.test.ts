import { describe, expect, it } from 'vitest';
import { closeSteps } from './process-lifecycle.ts';

describe('closeSteps', () => {
  it('names the step under way, and none once it is done', async () => {
    const steps = closeSteps();
    expect(steps.running()).toBeUndefined();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const seen: (string | undefined)[] = [];
    const closing = (async () => {
      await steps.step('first', () => seen.push(steps.running()));
      await steps.step('stuck', () => held);
    })();
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['first']);
    expect(steps.running()).toBe('stuck');
    release();
    await closing;
    expect(steps.running()).toBeUndefined();
  });

  it('keeps naming a step that failed', async () => {
    const steps = closeSteps();
    await expect(steps.step('broken', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(steps.running()).toBe('broken');
  });
});
