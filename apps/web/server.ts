// The dashboard's HTTP server: Next's request handler behind a plain node:http server, so the
// client's address reaches the api. `next start` hands route handlers no socket, and it keeps
// an `X-Forwarded-For` the client wrote itself (it only fills the header when absent), so the
// api could not tell a real address from a forged one. Here every request gets the address of
// the peer that connected appended, exactly as a reverse proxy does; the api reads the chain
// from the right and believes only hops it trusts (TRUSTED_PROXIES, docs/dashboard-security.md).
import { createServer, type IncomingMessage } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnvOrExit } from '@challenges/runtime/env';
import { listenAddress } from './env.ts';

// Set before Next and React load: they pick their production builds from it.
(process.env as Record<string, string>).NODE_ENV = 'production';
process.env.NEXT_TELEMETRY_DISABLED ??= '1';
const { port, hostname } = parseEnvOrExit('dashboard', () => listenAddress());
const { default: next } = await import('next');

const dir = path.dirname(fileURLToPath(import.meta.url));

function appendPeerAddress(req: IncomingMessage): void {
  const peer = req.socket.remoteAddress;
  if (!peer) return;
  const prior = [req.headers['x-forwarded-for'] ?? []].flat().join(', ').trim();
  req.headers['x-forwarded-for'] = prior === '' ? peer : `${prior}, ${peer}`;
}

const app = next({ dev: false, dir, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();
const server = createServer((req, res) => {
  appendPeerAddress(req);
  void handle(req, res);
});
server.listen(port, hostname, () => {
  console.log(`dashboard listening on http://${hostname ?? 'localhost'}:${port}`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    // Open keep-alive connections would hold close() back.
    server.closeAllConnections();
  });
}
