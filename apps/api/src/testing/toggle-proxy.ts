import { createServer, type Server, Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server (Redis, PostgreSQL) that a test can switch off and on,
 * to simulate an outage without stopping the shared server other test files use. Off = every
 * open connection is destroyed and new ones are refused (closed at once), as when the server
 * process dies.
 */
export interface ToggleProxy {
  /** Port the proxy listens on (127.0.0.1). */
  port: number;
  /** `redis://127.0.0.1:<port>`-style URL: replaces host and port of `target`. */
  url(target: string): string;
  isUp(): boolean;
  down(): void;
  up(): void;
  close(): Promise<void>;
}

export async function startToggleProxy(target: {
  host: string;
  port: number;
}): Promise<ToggleProxy> {
  let up = true;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server: Server = createServer((client) => {
    track(client);
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = new Socket();
    track(upstream);
    upstream.connect(target.port, target.host);
    client.pipe(upstream);
    upstream.pipe(client);
    const both = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once('error', both).once('close', both);
    upstream.once('error', both).once('close', both);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url(targetUrl) {
      const url = new URL(targetUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    isUp: () => up,
    down() {
      up = false;
      for (const socket of sockets) socket.destroy();
    },
    up() {
      up = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        up = false;
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
