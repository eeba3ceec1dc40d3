const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * Appends pre-encoded fragments and short ASCII pieces into one growing byte array. The hot
 * responses are ~200 KB: copying cached bytes is far cheaper than building a long string that
 * the socket must then flatten and UTF-8 encode on every request (measured: ~45 % of the CPU
 * of GET /v1/challenges went to that).
 */
export type Allocate = (size: number) => Uint8Array;

/** Zero-filled; an edge may pass an allocator that skips the fill (Node's Buffer.allocUnsafe). */
export const zeroedAllocate: Allocate = (size) => new Uint8Array(size);

export class ByteWriter {
  protected buf: Uint8Array;
  protected len = 0;

  constructor(
    capacity: number,
    private readonly allocate: Allocate = zeroedAllocate,
  ) {
    this.buf = allocate(Math.max(capacity, 256));
  }

  protected ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const next = this.allocate(Math.max(this.buf.length * 2, this.len + extra));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  bytes(chunk: Uint8Array): this {
    this.ensure(chunk.length);
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
    return this;
  }

  /** One byte (a comma between entries): no TypedArray.set call for it. */
  byte(value: number): this {
    this.ensure(1);
    this.buf[this.len++] = value;
    return this;
  }

  /** Text that is ASCII except in rare cases (numbers, statuses, timestamps, booleans). */
  text(value: string): this {
    this.ensure(value.length * 3);
    this.len += encoder.encodeInto(value, this.buf.subarray(this.len)).written;
    return this;
  }

  /**
   * Text known to be ASCII (numbers, statuses, RFC 3339 timestamps), copied a char at a time:
   * for the short per-player pieces this beats building one string per goal and encoding it
   * (encodeChallengesJson and encodeInitializeJson, measured in docs/performance.md).
   */
  ascii(value: string): this {
    this.ensure(value.length);
    const buf = this.buf;
    let len = this.len;
    for (let i = 0; i < value.length; i++) buf[len++] = value.charCodeAt(i);
    this.len = len;
    return this;
  }

  result(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  /** Bytes written so far. The API's protobuf ProtoWriter extends this class (hence `protected`). */
  get length(): number {
    return this.len;
  }
}
