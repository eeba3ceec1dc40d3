// An HTTP/1.1 response read off a keep-alive socket chunk by chunk: the status, the framing
// headers (content-length, chunked, connection: close) and the body's bytes, which are counted
// and handed on but never decoded. The load generator's REST client (http1-client.ts) is built on
// it because a general client's per-response work was most of the generator's CPU (docs/load-testing.md).

/** What becomes of the body's bytes: `data` sees each piece in order. */
export interface BodySink {
  data(chunk: Buffer, start: number, end: number): void;
}

export class HttpParseError extends Error {
  readonly code = 'HTTP_PARSE';
}

type State = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailer' | 'close';

const MAX_HEAD = 64 * 1024;

/** One connection's parser: feed it the socket's chunks; it says when an answer has ended. */
export class ResponseParser {
  status = 0;
  /** The server asked to close the connection after this answer (or it is HTTP/1.0). */
  closeAfter = false;
  private state: State = 'head';
  private head = '';
  private remaining = 0;
  private line = '';

  constructor(private readonly sink: BodySink) {}

  /** Readies the parser for the next answer on the same connection. */
  reset(): void {
    this.state = 'head';
    this.head = '';
    this.line = '';
    this.remaining = 0;
    this.status = 0;
    this.closeAfter = false;
  }

  /** True while the body runs until the server closes the connection (no length given). */
  get readsToClose(): boolean {
    return this.state === 'close';
  }

  /**
   * Takes a chunk; returns the offset just past the answer's end, or -1 if it has not ended.
   * Bytes after the end belong to no request (the client sends one at a time).
   */
  feed(chunk: Buffer): number {
    let at = 0;
    while (at < chunk.length) {
      switch (this.state) {
        case 'head': {
          at = this.readHead(chunk, at);
          if (this.emptyBody()) return at;
          break;
        }
        case 'length':
        case 'chunk-data': {
          const end = Math.min(chunk.length, at + this.remaining);
          this.sink.data(chunk, at, end);
          this.remaining -= end - at;
          at = end;
          if (this.remaining > 0) return -1;
          if (this.state === 'length') return at;
          this.state = 'chunk-crlf';
          break;
        }
        case 'chunk-size':
        case 'chunk-crlf':
        case 'trailer': {
          const nl = chunk.indexOf(10, at);
          if (nl < 0) {
            this.line += chunk.toString('latin1', at);
            if (this.line.length > MAX_HEAD) throw new HttpParseError('chunk line too long');
            return -1;
          }
          const line = (this.line + chunk.toString('latin1', at, nl)).replace(/\r$/, '');
          this.line = '';
          at = nl + 1;
          if (this.onLine(line)) return at;
          break;
        }
        case 'close':
          this.sink.data(chunk, at, chunk.length);
          return -1;
      }
    }
    return -1;
  }

  /** The head read up to its blank line; sets the body's framing. Returns where the body starts. */
  private readHead(chunk: Buffer, at: number): number {
    let head: string;
    let next: number;
    if (this.head === '') {
      // The usual case: the whole head is in this chunk; only the head is decoded.
      const end = chunk.indexOf('\r\n\r\n', at, 'latin1');
      if (end < 0) return this.keepHead(chunk.toString('latin1', at), chunk.length);
      head = chunk.toString('latin1', at, end);
      next = end + 4;
    } else {
      const before = this.head.length;
      const joined = this.head + chunk.toString('latin1', at);
      const end = joined.indexOf('\r\n\r\n', Math.max(0, before - 3));
      if (end < 0) return this.keepHead(joined, chunk.length);
      head = joined.slice(0, end);
      next = at + end + 4 - before;
    }
    this.head = '';
    const lines = head.split('\r\n');
    const m = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0]!);
    if (!m) throw new HttpParseError(`not an HTTP/1.x status line: ${lines[0]!.slice(0, 40)}`);
    const status = Number(m[2]);
    if (status < 200) return next; // informational (1xx): the answer follows
    this.status = status;
    this.closeAfter = m[1] === '0';
    let length = -1;
    let chunked = false;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).toLowerCase();
      if (name === 'content-length') length = Number(line.slice(colon + 1).trim());
      else if (name === 'transfer-encoding') chunked = /chunked\s*$/i.test(line);
      else if (name === 'connection') this.closeAfter = /close/i.test(line);
    }
    if (status === 204 || status === 304) this.setLength(0);
    else if (chunked) this.state = 'chunk-size';
    else if (length < 0) {
      this.state = 'close';
      this.closeAfter = true;
    } else if (Number.isInteger(length)) this.setLength(length);
    else throw new HttpParseError(`bad content-length in '${head.slice(0, 200)}'`);
    return next;
  }

  /** An empty body (content-length 0, 204, 304) ends with its head. */
  private emptyBody(): boolean {
    return this.state === 'length' && this.remaining === 0;
  }

  private keepHead(text: string, consumed: number): number {
    if (text.length > MAX_HEAD) throw new HttpParseError('response head too long');
    this.head = text;
    return consumed;
  }

  private setLength(length: number): void {
    this.state = 'length';
    this.remaining = length;
  }

  /** A line of the chunked framing; true when the answer has ended. */
  private onLine(line: string): boolean {
    if (this.state === 'chunk-crlf') {
      if (line !== '') throw new HttpParseError('chunk data not followed by CRLF');
      this.state = 'chunk-size';
      return false;
    }
    if (this.state === 'trailer') return line === '';
    const size = Number.parseInt(line.split(';', 1)[0]!.trim(), 16);
    if (!Number.isFinite(size) || size < 0) throw new HttpParseError(`bad chunk size '${line}'`);
    if (size === 0) this.state = 'trailer';
    else {
      this.state = 'chunk-data';
      this.remaining = size;
    }
    return false;
  }
}
