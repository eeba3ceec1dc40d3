import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Http1Client } from './http1-client.ts';

const big = Buffer.from(`${'x'.repeat(200_000)}"newAssignments":0,"totalActive":100}`);

/** Answers by path: a 200 KB body with a length or chunked, an echo, a close, a reset. */
function handle(req: IncomingMessage, res: ServerResponse): void {
  const body: Buffer[] = [];
  req.on('data', (c: Buffer) => body.push(c));
  req.on('end', () => {
    if (req.url === '/sized') res.end(big);
    else if (req.url === '/chunked') {
      for (let i = 0; i < big.length; i += 30_000) res.write(big.subarray(i, i + 30_000));
      res.end();
    } else if (req.url === '/echo')
      res.end(`${req.method} ${req.headers['x-user']} ${Buffer.concat(body).toString()}`);
    else if (req.url === '/close') res.setHeader('connection', 'close').end('bye');
    else if (req.url === '/reset') req.socket.destroy();
    else if (req.url === '/slow') setTimeout(() => res.end('late'), 100);
    else res.writeHead(404).end();
  });
}

const request = (path: string, extra = '', body = '') =>
  `${body ? 'POST' : 'GET'} ${path} HTTP/1.1\r\nhost: test\r\n${extra}` +
  (body ? `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}` : '\r\n');

describe('the load generator’s HTTP/1.1 client', () => {
  let server: Server;
  let target: string;
  const sockets = new Set<Socket>();
  let opened = 0;
  let client: Http1Client;

  beforeAll(async () => {
    server = createServer(handle);
    server.on('connection', (s: Socket) => {
      opened++;
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => client?.close());

  it('gives the status and the tail of a 200 KB answer, with a length or chunked', async () => {
    client = new Http1Client(target, 2);
    for (const path of ['/sized', '/chunked']) {
      const answer = await client.request(request(path), false);
      expect(answer.status).toBe(200);
      expect(answer.tail).toBe(big.subarray(-96).toString('latin1'));
      expect(answer.body).toBeUndefined();
    }
    const whole = await client.request(request('/chunked'), true);
    expect(whole.body?.equals(big)).toBe(true);
    expect((await client.request(request('/missing'), false)).status).toBe(404);
  });

  it('sends requests as given, over one kept-alive connection when they follow each other', async () => {
    client = new Http1Client(target, 4);
    const before = opened;
    for (let i = 0; i < 20; i++) {
      const answer = await client.request(
        request('/echo', `x-user: u${i}\r\n`, `{"i":${i}}`),
        true,
      );
      expect(answer.body?.toString()).toBe(`POST u${i} {"i":${i}}`);
    }
    expect(opened - before).toBe(1);
  });

  it('queues requests beyond its connections and answers every one', async () => {
    client = new Http1Client(target, 3);
    const before = opened;
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => client.request(request('/slow'), true)),
    );
    expect(answers.map((a) => a.body?.toString())).toEqual(Array(12).fill('late'));
    expect(opened - before).toBe(3);
  });

  it('keeps reusing every connection a burst opened, instead of reopening them after 2 s idle', async () => {
    client = new Http1Client(target, 4);
    const before = opened;
    const burst = () =>
      Promise.all(Array.from({ length: 3 }, () => client.request(request('/slow'), false)));
    await burst();
    // One call at a time for longer than the 2 s a connection may stay idle before reuse.
    for (const until = performance.now() + 2_300; performance.now() < until; ) {
      expect((await client.request(request('/echo', 'x-user: u\r\n'), false)).status).toBe(200);
    }
    await burst();
    expect(opened - before).toBe(3);
  });

  it('opens a new connection after the server closes one, idle or by connection: close', async () => {
    client = new Http1Client(target, 1);
    expect((await client.request(request('/close'), true)).body?.toString()).toBe('bye');
    expect((await client.request(request('/sized'), false)).status).toBe(200);
    // The server ends the idle connection (a keep-alive timeout): the next request must not fail.
    for (const s of sockets) s.destroy();
    await expect.poll(() => sockets.size).toBe(0);
    expect((await client.request(request('/sized'), false)).status).toBe(200);
  });

  it('fails a call whose connection breaks or cannot be made, with the reason as its code', async () => {
    client = new Http1Client(target, 1);
    await expect(client.request(request('/reset'), false)).rejects.toMatchObject({
      code: 'HTTP_CLOSED',
    });
    expect((await client.request(request('/sized'), false)).status).toBe(200);
    const port = (server.address() as AddressInfo).port;
    const refused = new Http1Client(`http://127.0.0.1:${port === 1 ? 2 : 1}`, 1);
    await expect(refused.request(request('/sized'), false)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    refused.close();
  });
});
