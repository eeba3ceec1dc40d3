import { describe, expect, it } from 'vitest';
import { ResponseParser } from './http1-response.ts';

/** Feeds `parts` one by one; returns the status, the body seen and where the answer ended. */
function parse(parts: string[]) {
  let body = '';
  const parser = new ResponseParser({
    data: (chunk, start, end) => {
      body += chunk.toString('latin1', start, end);
    },
  });
  let ended = -1;
  let part = -1;
  for (let i = 0; i < parts.length && ended < 0; i++) {
    ended = parser.feed(Buffer.from(parts[i]!, 'latin1'));
    part = i;
  }
  return { status: parser.status, body, ended, part, closeAfter: parser.closeAfter, parser };
}

/** Every way to cut `text` in two. */
const splits = (text: string) =>
  Array.from({ length: text.length - 1 }, (_, i) => [text.slice(0, i + 1), text.slice(i + 1)]);

describe('an HTTP/1.1 answer read chunk by chunk', () => {
  const sized = 'HTTP/1.1 200 OK\r\nContent-Length: 11\r\nX-A: b\r\n\r\n{"ok":true}';
  const chunked =
    'HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n4;ext=1\r\n{"ok\r\n7\r\n":true}\r\n0\r\nx-t: 1\r\n\r\n';

  it('ends after content-length bytes, wherever the chunks are cut', () => {
    for (const parts of [[sized], ...splits(sized)]) {
      const r = parse(parts);
      expect(r).toMatchObject({ status: 200, body: '{"ok":true}', part: parts.length - 1 });
      expect(r.ended).toBe(parts.at(-1)!.length);
    }
  });

  it('decodes chunked framing, extensions and trailers, wherever the chunks are cut', () => {
    for (const parts of [[chunked], ...splits(chunked)]) {
      const r = parse(parts);
      expect(r).toMatchObject({ status: 201, body: '{"ok":true}', part: parts.length - 1 });
      expect(r.ended).toBe(parts.at(-1)!.length);
    }
  });

  it('ends an empty answer with its head (content-length 0, 204, 304)', () => {
    for (const head of [
      'HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n',
      'HTTP/1.1 204 No Content\r\n\r\n',
      'HTTP/1.1 304 Not Modified\r\ncontent-length: 99\r\n\r\n',
    ]) {
      expect(parse([head]).ended).toBe(head.length);
    }
  });

  it('skips informational answers before the real one', () => {
    const r = parse([`HTTP/1.1 100 Continue\r\n\r\n${sized}`]);
    expect(r).toMatchObject({ status: 200, body: '{"ok":true}' });
  });

  it('reads a body without a length until the server closes, and says so', () => {
    const r = parse(['HTTP/1.0 200 OK\r\n\r\nabc', 'def']);
    expect(r).toMatchObject({ status: 200, body: 'abcdef', ended: -1, closeAfter: true });
    expect(r.parser.readsToClose).toBe(true);
  });

  it('notes connection: close, and reads the next answer after a reset', () => {
    const r = parse(['HTTP/1.1 404 Not Found\r\nConnection: close\r\ncontent-length: 2\r\n\r\n{}']);
    expect(r).toMatchObject({ status: 404, closeAfter: true });
    r.parser.reset();
    expect(r.parser.feed(Buffer.from(sized))).toBe(sized.length);
    expect(r.parser).toMatchObject({ status: 200, closeAfter: false });
  });

  it('refuses what is not HTTP/1.x framing', () => {
    expect(() => parse(['SSH-2.0-OpenSSH\r\n\r\n'])).toThrow(/status line/);
    expect(() => parse(['HTTP/1.1 200 OK\r\ncontent-length: x\r\n\r\n'])).toThrow(/content-length/);
    expect(() => parse(['HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n'])).toThrow(
      /chunk size/,
    );
  });
});
