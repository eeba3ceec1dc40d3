import { SignJWT } from 'jose';
import { type Dispatcher, Pool } from 'undici';

export interface CallResult {
  status: number;
  body: unknown;
}

/** A measured call's answer: the status and the body's last bytes, never the whole body. */
export interface Answer {
  status: number;
  /** The last TAIL_BYTES of the body (latin1): where small trailing fields such as
   *  initialize's `newAssignments` are, checked without parsing 40–200 KB of JSON. */
  tail: string;
}

/** A request the load uses over and over: built once, sent with each user's headers. */
export interface PreparedRequest {
  method: Dispatcher.HttpMethod;
  path: string;
  body: string | undefined;
}

const TAIL_BYTES = 96;
const TIMEOUT_MS = 30_000;

/**
 * Reads an answer chunk by chunk and keeps only its tail: the generator shares the machine with
 * the stack, and parsing every 200 KB list answer cost it ~5 CPU-ms per call (measured).
 */
class TailHandler implements Dispatcher.DispatchHandler {
  private status = 0;
  private tail = '';

  constructor(
    private readonly resolve: (answer: Answer) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  // Present so that undici treats this as a handler of its current interface.
  onRequestStart(): void {}

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number): void {
    this.status = statusCode;
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    // A few chunks per answer (up to 64 KB each): decoding their last bytes is cheap.
    const start = Math.max(0, chunk.length - TAIL_BYTES);
    const text = chunk.toString('latin1', start);
    this.tail = start > 0 ? text : (this.tail + text).slice(-TAIL_BYTES);
  }

  onResponseEnd(): void {
    this.resolve({ status: this.status, tail: this.tail });
  }

  onResponseError(_c: Dispatcher.DispatchController, error: Error): void {
    this.reject(error);
  }
}

/** The player REST API over one keep-alive pool; auth by mock header or signed HS256 JWTs. */
export class PlayerApi {
  private readonly pool: Pool;
  /** Per user: its auth headers, without and with a JSON content type, built once. */
  private readonly headers = new Map<string, [Record<string, string>, Record<string, string>]>();

  constructor(
    target: string,
    private readonly basePath: string,
    private readonly jwtSecret: string | undefined,
    connections: number,
  ) {
    this.pool = new Pool(target, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  }

  /** Signs every user's token before the measured phase, so signing is not in the latency. */
  async prepareUsers(users: string[]): Promise<void> {
    const key = this.jwtSecret ? new TextEncoder().encode(this.jwtSecret) : undefined;
    for (const user of users) {
      const auth: Record<string, string> = key
        ? {
            authorization: `Bearer ${await new SignJWT({})
              .setProtectedHeader({ alg: 'HS256' })
              .setSubject(user)
              .setIssuedAt()
              .setExpirationTime('6h')
              .sign(key)}`,
          }
        : { 'x-mock-user-id': user };
      this.headers.set(user, [auth, { ...auth, 'content-type': 'application/json' }]);
    }
  }

  private headersOf(user: string, json: boolean): Record<string, string> {
    let pair = this.headers.get(user);
    if (!pair) {
      const auth = { 'x-mock-user-id': user };
      pair = [auth, { ...auth, 'content-type': 'application/json' }];
      this.headers.set(user, pair);
    }
    return pair[json ? 1 : 0];
  }

  prepare(method: Dispatcher.HttpMethod, path: string, body?: unknown): PreparedRequest {
    return {
      method,
      path: `${this.basePath}${path}`,
      body: body === undefined ? undefined : JSON.stringify(body),
    };
  }

  /** A measured call: status and body tail only. */
  send(request: PreparedRequest, user: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.pool.dispatch(
        {
          method: request.method,
          path: request.path,
          headers: this.headersOf(user, request.body !== undefined),
          body: request.body,
          headersTimeout: TIMEOUT_MS,
          bodyTimeout: TIMEOUT_MS,
        },
        new TailHandler(resolve, reject),
      );
    });
  }

  /** A call whose whole answer is read and parsed (set-up, the catalogue): not for the load. */
  async call(method: string, path: string, user: string, body?: unknown): Promise<CallResult> {
    const res = await this.pool.request({
      method: method as 'GET',
      path: `${this.basePath}${path}`,
      headers: this.headersOf(user, body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
    });
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: an error page; the status says enough
    }
    return { status: res.statusCode, body: parsed };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export interface Catalogue {
  challenges: { challengeId: string; goalIds: string[] }[];
  /** Stat codes some goal tracks, login_count aside (login events move that one). */
  statCodes: string[];
}

interface ListBody {
  challenges?: {
    challengeId: string;
    goals?: { goalId: string; requirement?: { statCode?: string } }[];
  }[];
}

export function catalogueOf(body: unknown): Catalogue {
  const challenges = ((body as ListBody).challenges ?? []).map((c) => ({
    challengeId: c.challengeId,
    goalIds: (c.goals ?? []).map((g) => g.goalId),
  }));
  const codes = new Set<string>();
  for (const c of (body as ListBody).challenges ?? []) {
    for (const g of c.goals ?? []) {
      const code = g.requirement?.statCode;
      if (code && code !== 'login_count') codes.add(code);
    }
  }
  return { challenges: challenges.filter((c) => c.goalIds.length > 0), statCodes: [...codes] };
}
