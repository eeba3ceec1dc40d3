import { SignJWT } from 'jose';
import { type Http1Answer, Http1Client } from './http1-client.ts';

export interface CallResult {
  status: number;
  body: unknown;
}

/** A measured call's answer: the status and the body's last bytes, never the whole body. */
export type Answer = Pick<Http1Answer, 'status' | 'tail'>;

/** A request the load uses over and over: built once, sent with each user's headers. */
export interface PreparedRequest {
  /** The request line and host header. */
  head: string;
  /** The content headers, the blank line and the body. */
  rest: string;
}

/**
 * The player REST API over a pool of keep-alive connections; auth by mock header or signed
 * HS256 JWTs. Measured calls read only their answer's status and tail: the generator shares the
 * machine with the stack, and parsing every 200 KB list answer cost it ~5 CPU-ms per call.
 */
export class PlayerApi {
  private readonly client: Http1Client;
  private readonly host: string;
  /** Per user: its auth header line, built once. */
  private readonly headers = new Map<string, string>();

  constructor(
    target: string,
    private readonly basePath: string,
    private readonly jwtSecret: string | undefined,
    connections: number,
  ) {
    this.client = new Http1Client(target, connections);
    this.host = new URL(target).host;
  }

  /** Signs every user's token before the measured phase, so signing is not in the latency. */
  async prepareUsers(users: string[]): Promise<void> {
    const key = this.jwtSecret ? new TextEncoder().encode(this.jwtSecret) : undefined;
    for (const user of users) {
      const token = key
        ? await new SignJWT({})
            .setProtectedHeader({ alg: 'HS256' })
            .setSubject(user)
            .setIssuedAt()
            .setExpirationTime('6h')
            .sign(key)
        : undefined;
      this.headers.set(
        user,
        token ? `authorization: Bearer ${token}\r\n` : `x-mock-user-id: ${user}\r\n`,
      );
    }
  }

  private headerOf(user: string): string {
    let line = this.headers.get(user);
    if (line === undefined) {
      line = `x-mock-user-id: ${user}\r\n`;
      this.headers.set(user, line);
    }
    return line;
  }

  /** The user's auth header as a name and a value, for clients of their own (the streams). */
  authHeader(user: string): [string, string] {
    const line = this.headerOf(user);
    const colon = line.indexOf(': ');
    return [line.slice(0, colon), line.slice(colon + 2, -2)];
  }

  prepare(method: string, path: string, body?: unknown): PreparedRequest {
    const json = body === undefined ? undefined : JSON.stringify(body);
    return {
      head: `${method} ${this.basePath}${path} HTTP/1.1\r\nhost: ${this.host}\r\n`,
      rest:
        json === undefined
          ? '\r\n'
          : `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(json)}\r\n\r\n${json}`,
    };
  }

  /** A measured call: status and body tail only. */
  send(request: PreparedRequest, user: string): Promise<Answer> {
    return this.client.request(request.head + this.headerOf(user) + request.rest, false);
  }

  /** A call whose whole answer is read and parsed (set-up, the catalogue): not for the load. */
  async call(method: string, path: string, user: string, body?: unknown): Promise<CallResult> {
    const request = this.prepare(method, path, body);
    const answer = await this.client.request(
      request.head + this.headerOf(user) + request.rest,
      true,
    );
    const text = answer.body?.toString('utf8') ?? '';
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: an error page; the status says enough
    }
    return { status: answer.status, body: parsed };
  }

  close(): Promise<void> {
    this.client.close();
    return Promise.resolve();
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
