// The floor under the hot reads (docs/performance.md, hot reads): the same open-loop client at the
// same rate against servers that do less and less of the real work, each answering the same
// ~200 KB list answer, so what each layer costs is the difference of server CPU per request.
//   http        node:http answering the answer's bytes
//   fastify     the same through Fastify with the api's request id, auth preHandler (mock user),
//               content-type parsers and metrics hook
//   fastify-raw fastify, but the handler hijacks the reply and writes to node's response itself
//   http-pg     http + the player's real read (readPlayerViews through a pg pool), not used
//   fastify-pg  fastify + that read
//   api         the real api (GET /v1/challenges)
//   grpc        grpc-js answering the GetUserChallenges answer's bytes
//   api-grpc    the real api's GetUserChallenges
// Every server is its own process, measured from /proc; layers alternate within each round.
// Usage: node --import tsx bench/read-floor.ts [--rounds 3] [--requests 1500] [--warmup 300] [--rate 150]
//          [--layers http,fastify,...] (default: all) [--read list|initialize]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readCpuMs } from '@challenges/loadtest/proc-cpu';
import { freePort } from '@challenges/runtime';
import { Server, ServerCredentials, type sendUnaryData } from '@grpc/grpc-js';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import pino from 'pino';
import { Pool } from 'undici';
import { mockAuthenticator } from '../apps/api/src/auth/player-auth.ts';
import { createApiMetrics } from '../apps/api/src/metrics/metrics.ts';
import { requestIdOf } from '../apps/api/src/rest/request-id.ts';
import { createPool } from '../packages/db/src/client.ts';
import { readPlayerViews } from '../packages/db/src/repositories/ledger-views.ts';
import { API_NODE_FLAGS } from '../scripts/process-manager/services.ts';
import { clearRedisPrefix, dropDatabase, startApi } from './lib/api-process.ts';
import { benchGrpcClient, grpcBytes } from './lib/grpc-bytes.ts';
import { apiEnv } from './lib/measure.ts';
import { runOpenLoop } from './lib/open-loop.ts';
import { scenarios } from './lib/scenarios.ts';
import { round } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    serve: { type: 'string' },
    port: { type: 'string' },
    body: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    requests: { type: 'string', default: '1500' },
    warmup: { type: 'string', default: '300' },
    rate: { type: 'string', default: '150' },
    read: { type: 'string', default: 'list' },
    layers: { type: 'string' },
  },
});
const root = path.resolve(import.meta.dirname, '..');
const { BENCH_DATABASE_URL, REDIS_URL } = process.env;
const databaseUrl =
  BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/challenges_bench_floor';
const redisUrl = REDIS_URL ?? 'redis://127.0.0.1:6379';
const basePath = '/challenge';
// The read measured: list (500 goals, 100 active rows) or a returning player's initialize (500).
const readName = values.read === 'initialize' ? 'initialize' : 'list';
const readRequest = scenarios[readName]!.request(basePath);
const grpcPath = scenarios['grpc-list']!.grpcPath!;

/** One of the stand-in servers, in this (child) process. */
async function serve(layer: string, port: number, body: Buffer): Promise<void> {
  const pool = layer.endsWith('-pg') ? createPool({ databaseUrl, max: 10 }) : undefined;
  const read = async (userId: string) => {
    if (pool) await readPlayerViews(pool, userId);
  };
  if (layer === 'grpc') {
    const server = new Server();
    const identity = (b: Buffer) => b;
    server.register(
      grpcPath,
      (_call: unknown, callback: sendUnaryData<Buffer>) => callback(null, body),
      identity,
      identity,
      'unary',
    );
    await new Promise((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve(p),
      ),
    );
  } else if (layer.startsWith('http')) {
    const server = createServer((req, res) => {
      read(String(req.headers['x-mock-user-id'])).then(() => {
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': body.length,
        });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  } else {
    const metrics = createApiMetrics();
    const auth = mockAuthenticator();
    const app = Fastify({
      loggerInstance: pino({ level: 'warn' }) as FastifyBaseLogger,
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: 64 * 1024,
      routerOptions: { maxParamLength: 512, ignoreTrailingSlash: true },
      genReqId: (req) => requestIdOf(req.headers['x-request-id']),
    });
    app.addHook('onRequest', (req, reply, done) => {
      reply.header('x-request-id', req.id);
      done();
    });
    app.addHook('onResponse', async (req, reply) => {
      const route = req.routeOptions.url ?? 'unmatched';
      const seconds = reply.elapsedTime / 1000;
      metrics.httpDuration.observe({ route, method: req.method, status: '200' }, seconds);
      metrics.live.observe(`REST ${req.method} ${route}`, seconds);
    });
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, _body, done) => done(null));
    app.addHook('preHandler', async (req) => {
      const id = req.headers['x-mock-user-id'];
      (req as unknown as { userId: string }).userId = await auth.authenticate({
        authorization: undefined,
        mockUserId: Array.isArray(id) ? id[0] : id,
      });
    });
    app.route({
      method: readRequest.method,
      url: readRequest.path,
      handler: async (req, reply) => {
        await read((req as unknown as { userId: string }).userId);
        if (layer !== 'fastify-raw')
          return reply.type('application/json; charset=utf-8').send(body);
        // Fastify's lifecycle without its reply machinery (onSend, headers object, serializer).
        reply.hijack();
        reply.raw.writeHead(200, {
          'x-request-id': req.id,
          'content-type': 'application/json; charset=utf-8',
          'content-length': body.length,
        });
        reply.raw.end(body);
      },
    });
    await app.listen({ port, host: '127.0.0.1' });
  }
  console.log('ready');
}

interface Target {
  name: string;
  pid: number;
  send: (player: string) => Promise<void>;
}

function spawnLayer(layer: string, port: number, bodyFile: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      ...API_NODE_FLAGS,
      '--import',
      'tsx',
      import.meta.filename,
      '--serve',
      layer,
      '--port',
      String(port),
      '--read',
      readName,
      '--body',
      bodyFile,
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, BENCH_DATABASE_URL: databaseUrl },
    },
  );
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`${layer} exited (${code})`)));
  });
}

function httpSend(baseUrl: string) {
  const pool = new Pool(baseUrl, { connections: 32 });
  return async (player: string) => {
    const res = await pool.request({
      ...readRequest,
      headers: { 'x-mock-user-id': player, 'content-type': 'application/json' },
    });
    await res.body.arrayBuffer();
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
  };
}

function grpcSend(port: number) {
  const client = benchGrpcClient(`127.0.0.1:${port}`);
  return async (player: string) => {
    await grpcBytes(client, grpcPath, player);
  };
}

async function drive(): Promise<void> {
  const rounds = Number(values.rounds);
  const requests = Number(values.requests);
  const warmup = Number(values.warmup);
  const rate = Number(values.rate);
  const tmp = mkdtempSync(path.join(tmpdir(), 'read-floor-'));
  const children: ChildProcess[] = [];
  const prefix = `bench-${process.pid}-floor`;
  dropDatabase(databaseUrl);
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const challengesFile = scenarios[readName]!.writeFixture(tmp);
  const env = apiEnv(
    { databaseUrl, redisUrl, rateLimitPerMin: 0 } as Parameters<typeof apiEnv>[0],
    challengesFile,
    ports,
  );
  // Ctrl-C must not leave the api and the stand-ins behind.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of children) child.kill('SIGTERM');
      void stopApi().finally(() => process.exit(130));
    });
  }
  let stopApi = async () => {};
  const api = await startApi({
    cwd: root,
    entry: 'apps/api/src/main.ts',
    env: { ...env, QUEUE_PREFIX: prefix },
  });
  stopApi = () => api.stop();
  try {
    const players = Array.from({ length: 20 }, (_, i) => `bench-floor-player-${i + 1}`);
    const setup = new Pool(api.baseUrl, { connections: 1 });
    for (const player of players) {
      const res = await setup.request({
        method: 'POST',
        path: `${basePath}/v1/challenges/initialize`,
        headers: { 'x-mock-user-id': player, 'content-type': 'application/json' },
        body: '{}',
      });
      await res.body.arrayBuffer();
    }
    const listRes = await setup.request({
      ...readRequest,
      headers: { 'x-mock-user-id': players[0]!, 'content-type': 'application/json' },
    });
    const listBody = Buffer.from(await listRes.body.arrayBuffer());
    await setup.close();
    const grpcClient = benchGrpcClient(`127.0.0.1:${ports[1]}`);
    const grpcBody = await grpcBytes(grpcClient, grpcPath, players[0]!).finally(() =>
      grpcClient.close(),
    );
    writeFileSync(path.join(tmp, 'list.bin'), listBody);
    writeFileSync(path.join(tmp, 'grpc.bin'), grpcBody);
    console.error(
      `${readName} answer ${listBody.length} bytes, gRPC answer ${grpcBody.length} bytes`,
    );

    const targets: Target[] = [];
    const wanted = (name: string) => !values.layers || values.layers.split(',').includes(name);
    for (const layer of ['http', 'fastify', 'fastify-raw', 'http-pg', 'fastify-pg', 'grpc']) {
      if (!wanted(layer)) continue;
      const port = await freePort();
      const child = await spawnLayer(
        layer,
        port,
        path.join(tmp, layer === 'grpc' ? 'grpc.bin' : 'list.bin'),
      );
      children.push(child);
      const send = layer === 'grpc' ? grpcSend(port) : httpSend(`http://127.0.0.1:${port}`);
      targets.push({ name: layer, pid: child.pid!, send });
    }
    if (wanted('api')) targets.push({ name: 'api', pid: api.pid, send: httpSend(api.baseUrl) });
    if (wanted('api-grpc')) {
      targets.push({ name: 'api-grpc', pid: api.pid, send: grpcSend(ports[1]!) });
    }

    const runs: Record<string, { cpuMs: number; load: number; p50: number }[]> = {};
    for (let r = 0; r < rounds; r++) {
      for (const t of targets) {
        const send = (i: number) => t.send(players[i % players.length]!);
        await runOpenLoop({ rate, requests: warmup, send });
        const load = loadavg()[0]!;
        const before = readCpuMs(t.pid);
        const run = await runOpenLoop({ rate, requests, send });
        const cpuMs = (readCpuMs(t.pid) - before) / Math.max(1, run.ok);
        const sorted = [...run.latenciesMs].sort((a, b) => a - b);
        const entry = {
          cpuMs: round(cpuMs, 3),
          load: round(load, 2),
          p50: round(sorted[sorted.length >> 1] ?? 0, 2),
        };
        runs[t.name] = [...(runs[t.name] ?? []), entry];
        console.error(
          `round ${r + 1} ${t.name.padEnd(10)} ${entry.cpuMs} CPU-ms/req  p50 ${entry.p50} ms  load ${entry.load}  errors ${requests - run.ok}`,
        );
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    const lines = [
      '| layer | CPU-ms per request, median | runs | load at start |',
      '|---|--:|---|---|',
    ];
    for (const [name, rs] of Object.entries(runs)) {
      lines.push(
        `| ${name} | ${median(rs.map((x) => x.cpuMs))} | ${rs.map((x) => x.cpuMs).join(', ')} | ${rs.map((x) => x.load).join(', ')} |`,
      );
    }
    console.log(lines.join('\n'));
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
    writeFileSync(
      path.join(root, 'bench/results', `${stamp}-read-floor.json`),
      `${JSON.stringify({ read: readName, rate, requests, warmup, listBytes: listBody.length, grpcBytes: grpcBody.length, runs }, null, 2)}\n`,
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await api.stop();
    clearRedisPrefix(redisUrl, prefix);
    rmSync(tmp, { recursive: true, force: true });
  }
  process.exit(0);
}

if (values.serve) await serve(values.serve, Number(values.port), readFileSync(values.body!));
else await drive();
