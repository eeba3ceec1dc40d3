import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { bearerIsSecret } from '../auth/same-secret.ts';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * `/metrics` on its own port (METRICS_PORT), never on the REST port: scrapes are for the
 * operator's network, not the internet-facing player API. An optional bearer token guards it.
 */
export async function startMetricsServer(options: {
  registry: Registry;
  host: string;
  port: number;
  token: string | undefined;
}): Promise<MetricsServer> {
  const { registry, token } = options;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (token && !bearerIsSecret(req.headers.authorization, token)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer' }).end('unauthorized\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500).end('metrics failed\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
