import http2 from 'node:http2';
import { UserLoggedIn } from '../../../apps/api/src/gen/accelbyte/iam/account/v1/account.js';
import { StatItemUpdated } from '../../../apps/api/src/gen/accelbyte/social/statistic/v1/statistic.js';

const LOGIN = '/accelbyte.iam.account.v1.UserAuthenticationUserLoggedInService/OnMessage';
const STAT = '/accelbyte.social.statistic.v1.StatisticStatItemUpdatedService/OnMessage';
const DEADLINE_MS = 10_000;

/** The AccelByte event calls the load sends; each resolves on the ingest's OK. */
export interface EventSender {
  login(event: { id: string; userId: string; timestamp: string }): Promise<void>;
  stat(event: {
    id: string;
    userId: string;
    timestamp: string;
    statCode: string;
    value: number;
  }): Promise<void>;
  close(): void;
}

/** A failed call: `code` is the gRPC status (4 = deadline exceeded, 14 = unavailable). */
export class GrpcCallError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

interface InFlight {
  stream: http2.ClientHttp2Stream;
  deadline: number;
}

/** A 5-byte gRPC length prefix (uncompressed) and the message. */
function frameOf(message: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.length);
  frame[0] = 0;
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}

const grpcMessage = (value: unknown): string => {
  try {
    return decodeURIComponent(String(value));
  } catch {
    return String(value);
  }
};

/**
 * gRPC unary calls over one node:http2 session (reopened if it closes), framed here. grpc-js's
 * client could not keep 300 calls/s on the shared machine where this one needs ≈ 0.5 CPU-ms
 * (bench/results/loadgen-cost-2026-12-04.md). Deadlines are swept once a second, not timed per call.
 */
class UnaryChannel {
  private session: http2.ClientHttp2Session | undefined;
  private readonly inFlight = new Set<InFlight>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly address: string) {
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const call of this.inFlight) {
        if (call.deadline <= now) call.stream.close(http2.constants.NGHTTP2_CANCEL);
      }
    }, 1000);
    this.sweeper.unref();
  }

  private connect(): http2.ClientHttp2Session {
    const current = this.session;
    if (current && !current.closed && !current.destroyed) return current;
    const s = http2.connect(`http://${this.address}`);
    // Stream errors reject their calls; a session error must not crash the runner.
    s.on('error', () => undefined);
    s.on('close', () => {
      if (this.session === s) this.session = undefined;
    });
    this.session = s;
    return s;
  }

  call(headers: http2.OutgoingHttpHeaders, message: Uint8Array): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let stream: http2.ClientHttp2Stream;
      try {
        stream = this.connect().request(headers);
      } catch (error) {
        reject(new GrpcCallError(14, (error as Error).message));
        return;
      }
      const entry = { stream, deadline: Date.now() + DEADLINE_MS };
      this.inFlight.add(entry);
      let status: string | undefined;
      let detail = '';
      // A trailers-only answer (an error) carries the status in its headers.
      const take = (fields: http2.IncomingHttpHeaders) => {
        if (fields['grpc-status'] !== undefined) status = String(fields['grpc-status']);
        if (fields['grpc-message'] !== undefined) detail = grpcMessage(fields['grpc-message']);
      };
      stream.on('response', take);
      stream.on('trailers', take);
      stream.on('data', () => undefined);
      stream.on('error', () => undefined);
      stream.on('close', () => {
        this.inFlight.delete(entry);
        if (status === '0') return resolve();
        if (status !== undefined) return reject(new GrpcCallError(Number(status), detail));
        reject(
          Date.now() >= entry.deadline
            ? new GrpcCallError(4, 'deadline exceeded')
            : new GrpcCallError(14, `stream closed (${stream.rstCode ?? 'no status'})`),
        );
      });
      stream.end(frameOf(message));
    });
  }

  close(): void {
    clearInterval(this.sweeper);
    this.session?.close();
  }
}

/** The event sender of a run: the one place its gRPC channel and call headers are made. */
export function createEventSender(
  address: string,
  namespace: string,
  ingestKey?: string,
): EventSender {
  // Call metadata every event carries: the ingest API key travels as `x-api-key`.
  const headers = (path: string): http2.OutgoingHttpHeaders => ({
    ':method': 'POST',
    ':path': path,
    'content-type': 'application/grpc',
    te: 'trailers',
    'grpc-timeout': `${DEADLINE_MS}m`,
    ...(ingestKey ? { 'x-api-key': ingestKey } : {}),
  });
  const loginHeaders = headers(LOGIN);
  const statHeaders = headers(STAT);
  const channel = new UnaryChannel(address);
  return {
    login: (e) => channel.call(loginHeaders, UserLoggedIn.encode({ ...e, namespace }).finish()),
    stat: (e) =>
      channel.call(
        statHeaders,
        StatItemUpdated.encode({
          id: e.id,
          namespace,
          userId: e.userId,
          timestamp: e.timestamp,
          payload: { statCode: e.statCode, latestValue: e.value, inc: 1 },
        }).finish(),
      ),
    close: () => channel.close(),
  };
}
