import { type Call, Connection } from './h2-connection.ts';

export { GrpcCallError } from './h2-connection.ts';

/** gRPC unary calls to `host:port`; a new connection when the current one cannot take more. */
export class UnaryClient {
  private connection: Connection | undefined;
  private readonly old = new Set<Connection>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly host: string;
  private readonly port: number;

  constructor(
    address: string,
    private readonly deadlineMs: number,
  ) {
    const colon = address.lastIndexOf(':');
    this.host = address.slice(0, colon).replace(/^\[|\]$/g, '');
    this.port = Number(address.slice(colon + 1));
    // Deadlines are swept once a second rather than timed per call.
    this.sweeper = setInterval(() => {
      const now = performance.now();
      for (const c of [this.connection, ...this.old]) c?.expire(now);
    }, 1000);
    this.sweeper.unref();
  }

  /** Sends `message` with the prepared header `block`; resolves on grpc-status 0. */
  call(block: Buffer, message: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      const call: Call = {
        block,
        message,
        deadline: performance.now() + this.deadlineMs,
        fields: {},
        resolve,
        reject,
      };
      this.current().start(call);
    });
  }

  private current(): Connection {
    const c = this.connection;
    if (c?.usable) return c;
    if (c) this.retire(c);
    const next = new Connection(this.host, this.port);
    next.socket.once('close', () => {
      if (this.connection === next) this.connection = undefined;
    });
    this.connection = next;
    return next;
  }

  private retire(c: Connection): void {
    if (c.streams.size === 0) c.socket.end();
    else {
      this.old.add(c);
      c.socket.once('close', () => this.old.delete(c));
    }
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const c of [this.connection, ...this.old]) {
      c?.failAll('client closed');
      c?.socket.destroy();
    }
  }
}
