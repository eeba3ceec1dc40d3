import type net from 'node:net';
import {
  ACK,
  CANCEL,
  CONTINUATION,
  DATA,
  END_HEADERS,
  END_STREAM,
  frame,
  GOAWAY,
  HEADERS,
  LAST_ID,
  OPENING,
  PADDED,
  PING,
  PRIORITY,
  PUSH_PROMISE,
  REFUSED_STREAM,
  RST_STREAM,
  requestFrames,
  SETTINGS,
  u32,
  WINDOW_UPDATE,
} from './h2-frames.ts';
import { decodeHeaderBlock, type GrpcFields } from './hpack.ts';
import { connectReading } from './socket-read.ts';

// A gRPC unary client on one HTTP/2 connection (RFC 9113), framed here rather than by
// `node:http2`, whose stream object, bound AsyncResource and header conversion per call cost the
// load generator more CPU than everything else it does per event (docs/load-testing.md). It sends
// HEADERS + DATA per call, all calls started in one tick in one write, and reads HEADERS, DATA,
// RST_STREAM, SETTINGS, PING, GOAWAY and WINDOW_UPDATE; nothing else a unary call needs.

/** A failed call: `code` is the gRPC status (4 = deadline exceeded, 14 = unavailable). */
export class GrpcCallError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Call {
  block: Buffer;
  message: Uint8Array;
  deadline: number;
  fields: GrpcFields;
  resolve: () => void;
  reject: (error: Error) => void;
}

function outcome(call: Call): Error | undefined {
  const { grpcStatus, grpcMessage, status } = call.fields;
  if (grpcStatus === '0') return undefined;
  if (grpcStatus !== undefined)
    return new GrpcCallError(Number(grpcStatus), percentDecoded(grpcMessage));
  return new GrpcCallError(14, `stream ended without grpc-status (HTTP ${status ?? 'none'})`);
}

function percentDecoded(text: string | undefined): string {
  try {
    return decodeURIComponent(text ?? '');
  } catch {
    return text ?? '';
  }
}

/** One connection; the client opens another once it is going away or out of stream ids. */
export class Connection {
  readonly socket: net.Socket;
  readonly streams = new Map<number, Call>();
  /** Calls held back by the server's stream limit or the connection's flow-control window. */
  private readonly waiting: Call[] = [];
  private out: Buffer[] = [];
  private input: Buffer | undefined;
  private nextId = 1;
  private sendWindow = 65_535;
  /** 0 until the server's SETTINGS: calls wait for its stream limit rather than be refused. */
  private maxStreams = 0;
  private received = 0;
  private goingAway = false;
  private error: Error | undefined;
  /** The HEADERS block being continued: its stream, its END_STREAM flag and its parts. */
  private continued: { id: number; end: boolean; parts: Buffer[] } | undefined;

  constructor(host: string, port: number) {
    this.socket = connectReading(host, port, (chunk) => this.onData(chunk));
    this.socket.write(OPENING);
    this.socket.on('error', (error) => {
      this.error ??= error;
    });
    this.socket.on('close', () => this.failAll(this.error?.message ?? 'connection closed'));
  }

  get usable(): boolean {
    return !this.goingAway && !this.socket.destroyed;
  }

  start(call: Call): void {
    const size = 5 + call.message.length;
    if (this.streams.size >= this.maxStreams || this.sendWindow < size || this.waiting.length) {
      this.waiting.push(call);
      return;
    }
    const id = this.nextId;
    this.nextId += 2;
    // Out of stream ids: this connection finishes what it has and the client opens another.
    if (this.nextId >= LAST_ID) this.goingAway = true;
    this.streams.set(id, call);
    this.sendWindow -= size;
    this.send(requestFrames(id, call.block, call.message));
  }

  /** Queues bytes; everything queued in one tick goes out in one write. */
  private send(bytes: Buffer): void {
    if (this.out.push(bytes) === 1) process.nextTick(() => this.flush());
  }

  private flush(): void {
    const out = this.out;
    this.out = [];
    if (!this.socket.destroyed) this.socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
  }

  expire(now: number): void {
    for (const [id, call] of this.streams) {
      if (call.deadline > now) continue;
      this.streams.delete(id);
      this.send(frame(RST_STREAM, 0, id, u32(CANCEL)));
      call.reject(new GrpcCallError(4, 'deadline exceeded'));
    }
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      if (this.waiting[i]!.deadline > now) continue;
      this.waiting.splice(i, 1)[0]!.reject(new GrpcCallError(4, 'deadline exceeded'));
    }
    this.startWaiting();
  }

  private onData(chunk: Buffer): void {
    let buf = this.input ? Buffer.concat([this.input, chunk]) : chunk;
    let at = 0;
    try {
      while (buf.length - at >= 9) {
        const length = buf.readUIntBE(at, 3);
        if (buf.length - at < 9 + length) break;
        this.onFrame(
          buf[at + 3]!,
          buf[at + 4]!,
          buf.readUInt32BE(at + 5) & LAST_ID,
          buf,
          at + 9,
          at + 9 + length,
        );
        at += 9 + length;
      }
    } catch (error) {
      this.error ??= error as Error;
      this.socket.destroy();
      return;
    }
    buf = buf.subarray(at);
    this.input = buf.length > 0 ? Buffer.from(buf) : undefined;
    this.startWaiting();
  }

  private onFrame(
    type: number,
    flags: number,
    id: number,
    b: Buffer,
    start: number,
    end: number,
  ): void {
    if (type === DATA) {
      this.received += end - start;
      if (this.received > 2 ** 30) {
        this.send(frame(WINDOW_UPDATE, 0, 0, u32(this.received)));
        this.received = 0;
      }
      if (flags & END_STREAM) this.finish(id);
    } else if (type === HEADERS) {
      const pad = flags & PADDED ? b[start]! : 0;
      const from = start + (flags & PADDED ? 1 : 0) + (flags & PRIORITY ? 5 : 0);
      const block = b.subarray(from, end - pad);
      if (flags & END_HEADERS) this.onHeaders(id, block, (flags & END_STREAM) !== 0);
      else this.continued = { id, end: (flags & END_STREAM) !== 0, parts: [Buffer.from(block)] };
    } else if (type === CONTINUATION) {
      const c = this.continued;
      if (!c || c.id !== id) throw new Error('CONTINUATION without its HEADERS');
      c.parts.push(Buffer.from(b.subarray(start, end)));
      if (flags & END_HEADERS) {
        this.continued = undefined;
        this.onHeaders(id, Buffer.concat(c.parts), c.end);
      }
    } else if (type === RST_STREAM) this.onReset(id, b.readUInt32BE(start));
    else if (type === SETTINGS && !(flags & ACK)) this.onSettings(b, start, end);
    else if (type === PING && !(flags & ACK))
      this.send(frame(PING, ACK, 0, b.subarray(start, end)));
    else if (type === GOAWAY) this.onGoAway(b.readUInt32BE(start) & LAST_ID);
    else if (type === WINDOW_UPDATE && id === 0) this.sendWindow += b.readUInt32BE(start) & LAST_ID;
    else if (type === PUSH_PROMISE) throw new Error('PUSH_PROMISE with push disabled');
  }

  private onHeaders(id: number, block: Buffer, end: boolean): void {
    // With no dynamic table, a block of a stream already given up on needs no decoding.
    const call = this.streams.get(id);
    if (call) decodeHeaderBlock(block, 0, block.length, call.fields);
    if (end) this.finish(id);
  }

  /** REFUSED_STREAM means not processed (RFC 9113 §8.7): the call is sent again. */
  private onReset(id: number, code: number): void {
    const call = this.streams.get(id);
    this.streams.delete(id);
    if (code !== REFUSED_STREAM || !call) {
      call?.reject(new GrpcCallError(14, `stream reset by the server (${code})`));
      return;
    }
    call.fields = {};
    this.waiting.push(call);
  }

  private onSettings(b: Buffer, start: number, end: number): void {
    if (this.maxStreams === 0) this.maxStreams = Number.POSITIVE_INFINITY;
    for (let at = start; at + 6 <= end; at += 6) {
      if (b.readUInt16BE(at) === 3) this.maxStreams = b.readUInt32BE(at + 2);
    }
    this.send(frame(SETTINGS, ACK, 0, Buffer.alloc(0)));
  }

  private onGoAway(lastId: number): void {
    this.goingAway = true;
    for (const id of this.streams.keys()) {
      if (id > lastId) this.fail(id, 'not processed: the server is going away');
    }
    for (const call of this.waiting.splice(0)) {
      call.reject(new GrpcCallError(14, 'not sent: the server is going away'));
    }
    if (this.streams.size === 0) this.socket.end();
  }

  private finish(id: number): void {
    const call = this.streams.get(id);
    if (!call) return;
    this.streams.delete(id);
    const error = outcome(call);
    if (error) call.reject(error);
    else call.resolve();
    if (this.goingAway && this.streams.size === 0) this.socket.end();
  }

  private fail(id: number, message: string): void {
    const call = this.streams.get(id);
    this.streams.delete(id);
    call?.reject(new GrpcCallError(14, message));
  }

  private startWaiting(): void {
    if (this.waiting.length === 0) return;
    for (const call of this.waiting.splice(0)) this.start(call);
  }

  failAll(message: string): void {
    for (const id of [...this.streams.keys()]) this.fail(id, message);
    for (const call of this.waiting.splice(0)) call.reject(new GrpcCallError(14, message));
  }
}
