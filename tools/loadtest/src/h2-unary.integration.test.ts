import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Server, ServerCredentials, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventSender } from './event-sender.ts';
import { UnaryClient } from './h2-unary.ts';
import { encodeHeaderBlock } from './hpack.ts';

const STAT = '/accelbyte.social.statistic.v1.StatisticStatItemUpdatedService/OnMessage';
const LOGIN = '/accelbyte.iam.account.v1.UserAuthenticationUserLoggedInService/OnMessage';
const event = { id: 'e', userId: 'u', timestamp: '', statCode: 'wins', value: 1 };
// A refusal text that grpc-js percent-encodes and nghttp2 Huffman-codes: spaces, %, non-ASCII.
const DETAIL = 'refused: 100 % of “ünïcødé” / tabs\tand more';

type Handler = (call: ServerUnaryCall<Buffer, Buffer>, done: sendUnaryData<Buffer>) => void;

/** A real grpc-js server with the two event methods; `stat` and `login` decide the answer. */
async function grpcServer(stat: Handler, login: Handler, options = {}) {
  const server = new Server(options);
  const bytes = (b: Buffer) => b;
  server.register(STAT, stat, bytes, bytes, 'unary');
  server.register(LOGIN, login, bytes, bytes, 'unary');
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  return { server, address: `127.0.0.1:${port}` };
}

describe('the generator’s own gRPC client against servers that answer wrongly or slowly', () => {
  let refusing: Awaited<ReturnType<typeof grpcServer>>;
  let bareHttp2: http2.Http2Server;
  let bareAddress: string;

  beforeAll(async () => {
    const pending: sendUnaryData<Buffer>[] = [];
    refusing = await grpcServer(
      (_call, done) => done({ code: 9, details: DETAIL }),
      // Holds every login until ten are waiting, so they are in flight together.
      (_call, done) => {
        pending.push(done);
        if (pending.length >= 10) for (const d of pending.splice(0)) d(null, Buffer.alloc(0));
      },
      { 'grpc.max_concurrent_streams': 10 },
    );
    // An HTTP/2 server that is not gRPC: a proxy's 503 with no grpc-status, or a reset stream.
    bareHttp2 = http2.createServer();
    bareHttp2.on('stream', (stream, headers) => {
      stream.on('error', () => undefined);
      if (headers[':path'] === STAT) stream.respond({ ':status': 503 }, { endStream: true });
      else stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    });
    await new Promise<void>((resolve) => bareHttp2.listen(0, '127.0.0.1', resolve));
    bareAddress = `127.0.0.1:${(bareHttp2.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    refusing?.server.forceShutdown();
    bareHttp2?.close();
  });

  it('rejects with the status and the whole message grpc-js sent', async () => {
    const sender = createEventSender(refusing.address, 'test');
    try {
      await expect(sender.stat(event)).rejects.toMatchObject({ code: 9, message: DETAIL });
    } finally {
      sender.close();
    }
  });

  it('waits for the server’s stream limit and answers every call beyond it', async () => {
    const sender = createEventSender(refusing.address, 'test');
    try {
      const calls = Array.from({ length: 60 }, (_, i) => sender.login({ ...event, id: `l${i}` }));
      await expect(Promise.all(calls)).resolves.toHaveLength(60);
    } finally {
      sender.close();
    }
  });

  it('fails an answer with no grpc-status, naming its HTTP status, and a reset stream', async () => {
    const sender = createEventSender(bareAddress, 'test');
    try {
      await expect(sender.stat(event)).rejects.toMatchObject({
        code: 14,
        message: expect.stringContaining('HTTP 503'),
      });
      await expect(sender.login(event)).rejects.toMatchObject({
        code: 14,
        message: expect.stringContaining('reset'),
      });
    } finally {
      sender.close();
    }
  });

  it('fails a call past its deadline with 4 and carries on with the next', async () => {
    const silent = await grpcServer(
      () => undefined,
      (_call, done) => done(null, Buffer.alloc(0)),
    );
    const client = new UnaryClient(silent.address, 200);
    const headers = (path: string) =>
      encodeHeaderBlock([
        [':method', 'POST'],
        [':scheme', 'http'],
        [':path', path],
        [':authority', silent.address],
        ['content-type', 'application/grpc'],
        ['te', 'trailers'],
      ]);
    try {
      await expect(client.call(headers(STAT), Buffer.alloc(0))).rejects.toMatchObject({ code: 4 });
      await expect(client.call(headers(LOGIN), Buffer.alloc(0))).resolves.toBeUndefined();
    } finally {
      client.close();
      silent.server.forceShutdown();
    }
  });
});
