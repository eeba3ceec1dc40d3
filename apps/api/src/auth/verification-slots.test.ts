import { isCoreError } from '@challenges/core';
import { describe, expect, it } from 'vitest';
import { verificationSlots } from './verification-slots.ts';

describe('verificationSlots', () => {
  it('runs up to the cap at once and refuses the excess at once, without queueing', async () => {
    const slots = verificationSlots(2);
    const gates: (() => void)[] = [];
    const held = () => new Promise<string>((resolve) => gates.push(() => resolve('done')));
    const first = slots.run(held);
    const second = slots.run(held);
    const refused = await slots.run(held).catch((error: unknown) => error);
    expect(isCoreError(refused) && refused.code).toBe('RATE_LIMITED');
    expect(gates).toHaveLength(2);
    for (const open of gates) open();
    expect(await Promise.all([first, second])).toEqual(['done', 'done']);
    // Both slots are free again: two more run at once.
    const again = [slots.run(async () => 'a'), slots.run(async () => 'b')];
    expect(await Promise.all(again)).toEqual(['a', 'b']);
  });

  it('frees the slot when the work fails', async () => {
    const slots = verificationSlots(1);
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await slots.run(async () => 'next')).toBe('next');
  });
});
