import { describe, expect, it } from 'vitest';
import { ByteWriter } from './byte-writer.ts';

describe('ByteWriter', () => {
  it('counts the bytes written so far, across a buffer growth and multi-byte text', () => {
    const writer = new ByteWriter(0);
    expect(writer.length).toBe(0);
    writer.bytes(new Uint8Array(300)).text('é1');
    expect(writer.length).toBe(303);
    expect(writer.result()).toHaveLength(303);
  });
});
