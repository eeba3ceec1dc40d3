// `npm run loadtest:stub -- --from <api url>`: a stand-in for the stack that answers at once with
// the bodies a real api gave (recorded at start: a 500-goal list, an initialize), plus the two
// AccelByte event services acking every call. For measuring the load generator alone: with the
// stack itself on the same 2 cores, a starved api makes the generator queue and retry, and its
// cost per call measures the machine as much as the generator. Prints the runner's arguments.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Server, ServerCredentials, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';

const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    'base-path': { type: 'string', default: '/challenge' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help || !values.from) {
  console.log(
    'usage: npm run loadtest:stub -- --from http://127.0.0.1:8000 [--base-path /challenge]',
  );
  process.exit(values.help ? 0 : 2);
}
const base = values['base-path'] ?? '/challenge';

async function record(method: string, path: string): Promise<Buffer> {
  const res = await fetch(`${values.from}${base}${path}`, {
    method,
    headers: { 'x-mock-user-id': 'lt-user-0', 'content-type': 'application/json' },
    ...(method === 'POST' ? { body: '{}' } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}
const initialize = await record('POST', '/v1/challenges/initialize');
const list = await record('GET', '/v1/challenges');
const small = Buffer.from('{"ok":true}');

const http = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const url = req.url ?? '';
    const body = url.endsWith('/v1/challenges')
      ? list
      : url.endsWith('/initialize')
        ? initialize
        : small;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));

const grpc = new Server();
const ack = (_call: ServerUnaryCall<Buffer, Buffer>, done: sendUnaryData<Buffer>) =>
  done(null, Buffer.alloc(0));
const bytes = (b: Buffer) => b;
for (const path of [
  '/accelbyte.iam.account.v1.UserAuthenticationUserLoggedInService/OnMessage',
  '/accelbyte.social.statistic.v1.StatisticStatItemUpdatedService/OnMessage',
]) {
  grpc.register(path, ack, bytes, bytes, 'unary');
}
const grpcPort = await new Promise<number>((resolve, reject) =>
  grpc.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) =>
    error ? reject(error) : resolve(port),
  ),
);
const httpPort = (http.address() as AddressInfo).port;
console.error(`[stub] list ${list.length} B, initialize ${initialize.length} B; Ctrl-C stops it`);
console.log(
  `--target http://127.0.0.1:${httpPort} --grpc 127.0.0.1:${grpcPort} --base-path ${base} --api-metrics= --worker-metrics=`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    http.close();
    grpc.forceShutdown();
    process.exit(0);
  });
}
