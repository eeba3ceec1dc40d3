import { SignJWT } from 'jose';
import { Pool } from 'undici';

export interface CallResult {
  status: number;
  body: unknown;
}

/** The player REST API over one keep-alive pool; auth by mock header or signed HS256 JWTs. */
export class PlayerApi {
  private readonly pool: Pool;
  private readonly tokens = new Map<string, string>();

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
    if (!this.jwtSecret) return;
    const key = new TextEncoder().encode(this.jwtSecret);
    for (const user of users) {
      this.tokens.set(
        user,
        await new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(user)
          .setIssuedAt()
          .setExpirationTime('6h')
          .sign(key),
      );
    }
  }

  private auth(user: string): Record<string, string> {
    const token = this.tokens.get(user);
    return token ? { authorization: `Bearer ${token}` } : { 'x-mock-user-id': user };
  }

  async call(method: string, path: string, user: string, body?: unknown): Promise<CallResult> {
    const headers: Record<string, string> = this.auth(user);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.pool.request({
      method: method as 'GET',
      path: `${this.basePath}${path}`,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
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
