import { createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 the OS just handed out, for a child process that cannot take port 0
 * and report what it got. Another process may take it before the caller binds it: callers
 * start their child on it at once.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}
