import type net from 'node:net';
import { type BodySink, ResponseParser } from './http1-response.ts';
import { connectReading } from './socket-read.ts';

/** An answer: its status and the body's last bytes; the whole body only when asked for. */
export interface Http1Answer {
  status: number;
  /** The body's last TAIL_BYTES (latin1). */
  tail: string;
  body: Buffer | undefined;
}

export const TAIL_BYTES = 96;
// Deadlines and idle ages are on the monotonic clock: a 1-minute run on this VM failed 290 calls
// as past their 30 s deadline by `Date.now()` when none had waited 11 s by `performance.now()`.
const TIMEOUT_MS = 30_000;
// An idle connection older than this is closed rather than reused: a server that closes idle
// connections itself (Node's default keep-alive timeout is 5 s) could do so as the request is
// written, and the call would fail for no fault of the service.
const IDLE_MS = 2_000;

interface Pending {
  bytes: string;
  keepBody: boolean;
  deadline: number;
  resolve: (answer: Http1Answer) => void;
  reject: (error: Error) => void;
}

/** An error whose `code` names its kind in the report (errorKind). */
function failure(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** One keep-alive connection, one request at a time. */
class Connection implements BodySink {
  readonly socket: net.Socket;
  current: Pending | undefined;
  idleSince = 0;
  private readonly parser = new ResponseParser(this);
  private tail = '';
  private chunks: Buffer[] | undefined;
  private error: Error | undefined;

  constructor(
    private readonly client: Http1Client,
    port: number,
    host: string,
  ) {
    this.socket = connectReading(host, port, (chunk) => this.onData(chunk));
    this.socket.on('error', (error) => {
      this.error = error;
    });
    this.socket.on('close', () => this.onClose());
  }

  send(pending: Pending): void {
    this.current = pending;
    this.parser.reset();
    this.tail = '';
    this.chunks = pending.keepBody ? [] : undefined;
    this.socket.write(pending.bytes);
  }

  data(chunk: Buffer, start: number, end: number): void {
    if (end - start >= TAIL_BYTES) this.tail = chunk.toString('latin1', end - TAIL_BYTES, end);
    else if (end > start)
      this.tail = (this.tail + chunk.toString('latin1', start, end)).slice(-TAIL_BYTES);
    // The chunk is the shared read buffer: a kept body is copied out of it.
    this.chunks?.push(Buffer.from(chunk.subarray(start, end)));
  }

  /** Ends the connection; the request in flight, if any, fails with `error`. */
  destroy(error: Error): void {
    this.error ??= error;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (!this.current) {
      this.destroy(failure('HTTP_PARSE', 'data with no request'));
      return;
    }
    let end: number;
    try {
      end = this.parser.feed(chunk);
    } catch (error) {
      this.destroy(error as Error);
      return;
    }
    if (end < 0) return;
    // One request at a time: bytes past the answer's end are the server's mistake.
    this.finish(this.parser.closeAfter || end < chunk.length);
  }

  private finish(close: boolean): void {
    const pending = this.current!;
    this.current = undefined;
    const body = this.chunks ? Buffer.concat(this.chunks) : undefined;
    this.chunks = undefined;
    pending.resolve({ status: this.parser.status, tail: this.tail, body });
    if (close) this.socket.destroy();
    else this.client.release(this);
  }

  private onClose(): void {
    // A body without a length runs until the server closes the connection.
    if (this.current && this.parser.readsToClose && !this.error) this.finish(true);
    const pending = this.current;
    this.current = undefined;
    pending?.reject(
      this.error ?? failure('HTTP_CLOSED', 'the connection closed before the answer ended'),
    );
    this.client.closed(this);
  }
}

/**
 * A minimal HTTP/1.1 keep-alive client for the load's measured calls: requests are strings built
 * by the caller, answers are counted, not decoded (undici's per-answer work cost the generator
 * 2–3× more CPU per call on this machine, docs/load-testing.md). Up to `connections` sockets;
 * requests beyond them wait in order. Timeouts are swept once a second.
 */
export class Http1Client {
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();
  private readonly queue: Pending[] = [];
  private readonly sweeper: NodeJS.Timeout;
  private readonly port: number;
  private readonly host: string;

  constructor(
    target: string,
    private readonly connections: number,
  ) {
    const url = new URL(target);
    if (url.protocol !== 'http:') throw new Error(`only http:// targets, got ${target}`);
    this.port = Number(url.port || 80);
    this.host = url.hostname.replace(/^\[|\]$/g, '');
    this.sweeper = setInterval(() => this.sweep(), 1000);
    this.sweeper.unref();
  }

  /** Sends `bytes` (a whole request); `keepBody` keeps the whole answer body too. */
  request(bytes: string, keepBody: boolean): Promise<Http1Answer> {
    return new Promise((resolve, reject) => {
      const pending = {
        bytes,
        keepBody,
        deadline: performance.now() + TIMEOUT_MS,
        resolve,
        reject,
      };
      const connection = this.takeIdle() ?? this.open();
      if (connection) connection.send(pending);
      else this.queue.push(pending);
    });
  }

  /** A connection whose answer has ended: the next waiting request, or the idle stack. */
  release(connection: Connection): void {
    const next = this.queue.shift();
    if (next) connection.send(next);
    else {
      connection.idleSince = performance.now();
      this.idle.push(connection);
    }
  }

  closed(connection: Connection): void {
    this.all.delete(connection);
    const i = this.idle.indexOf(connection);
    if (i >= 0) this.idle.splice(i, 1);
    const next = this.queue.length > 0 ? this.open() : undefined;
    if (next) next.send(this.queue.shift()!);
  }

  /**
   * Longest idle first: every open connection is reused well within IDLE_MS at a steady rate.
   * (Most recent first let the deeper ones expire and reopened them at the next burst: a
   * connection and an Error object a few times a second, for nothing.)
   */
  private takeIdle(): Connection | undefined {
    const now = performance.now();
    for (let c = this.idle.shift(); c; c = this.idle.shift()) {
      if (now - c.idleSince < IDLE_MS) return c;
      c.socket.destroy();
    }
    return undefined;
  }

  private open(): Connection | undefined {
    if (this.all.size >= this.connections) return undefined;
    const connection = new Connection(this, this.port, this.host);
    this.all.add(connection);
    return connection;
  }

  private sweep(): void {
    const now = performance.now();
    for (const c of this.all) {
      if (c.current && c.current.deadline <= now) {
        c.destroy(failure('HTTP_TIMEOUT', `no answer within ${TIMEOUT_MS / 1000} s`));
      }
    }
    while (this.queue.length > 0 && this.queue[0]!.deadline <= now) {
      this.queue.shift()!.reject(failure('HTTP_TIMEOUT', 'no connection free in time'));
    }
  }

  /** Closes every connection; requests still waiting or in flight fail. */
  close(): void {
    clearInterval(this.sweeper);
    for (const p of this.queue.splice(0)) p.reject(failure('HTTP_CLOSED', 'client closed'));
    for (const c of [...this.all]) c.destroy(failure('HTTP_CLOSED', 'client closed'));
  }
}
