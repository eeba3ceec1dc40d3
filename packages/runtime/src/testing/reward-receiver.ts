import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../rewards/webhook-provider.ts';

/** How the receiver answers one grant request. */
export interface Behaviour {
  status: number;
  /** Wait this long before answering (a 2xx is applied before the wait: a lost answer). */
  delayMs?: number;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  signatureValid: boolean;
}

/**
 * A real HTTP server standing in for a game backend (POST /webhook) and for AGS (IAM token,
 * entitlement grant, wallet credit). Like a well-behaved backend it dedupes by the
 * Idempotency-Key header, so `effective` holds what a player actually received; `deliveries`
 * counts every grant request it accepted, so a repeated send shows even though it changed nothing.
 */
export interface RewardReceiver {
  baseUrl: string;
  webhookUrl: string;
  requests: ReceivedRequest[];
  /** Effective grants: idempotency key → 1 once applied (the dedupe keeps it at 1). */
  effective: Map<string, number>;
  /** Every grant request answered 2xx, deduped or not: idempotency key → how many. */
  deliveries: Map<string, number>;
  /** Times two requests for one key were in flight at once (replicas must keep this 0). */
  overlaps: number;
  tokenCalls: number;
  /** Queue answers for the next grant requests; after them `fallback` applies. */
  respond(...behaviours: Behaviour[]): void;
  /** The answer when nothing is queued; a function may vary it (a flaky backend). */
  fallback: Behaviour | (() => Behaviour);
  /** Token lifetime the IAM endpoint hands out. */
  tokenLifetimeSeconds: number;
  /** Makes every issued token invalid (the next platform call gets a 401). */
  revokeTokens(): void;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

const CLIENT = { id: 'client-id', secret: 'client-secret' };
export const RECEIVER_CLIENT = CLIENT;

export async function startRewardReceiver(
  options: { secret?: string } = {},
): Promise<RewardReceiver> {
  const queue: Behaviour[] = [];
  const inFlight = new Set<string>();
  const validTokens = new Set<string>();
  let server: Server;
  let port = 0;

  const receiver: RewardReceiver = {
    baseUrl: '',
    webhookUrl: '',
    requests: [],
    effective: new Map(),
    deliveries: new Map(),
    overlaps: 0,
    tokenCalls: 0,
    fallback: { status: 200 },
    tokenLifetimeSeconds: 3600,
    respond: (...behaviours) => queue.push(...behaviours),
    revokeTokens: () => validTokens.clear(),
    down: () => stop(),
    up: () => listen(port),
    close: () => stop(),
  };

  const issueToken = (req: IncomingMessage, res: ServerResponse) => {
    receiver.tokenCalls++;
    const basic = `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`;
    if (req.headers.authorization !== basic) return res.writeHead(401).end();
    const token = `token-${receiver.tokenCalls}`;
    validTokens.add(token);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: token, expires_in: receiver.tokenLifetimeSeconds }));
  };

  const handleGrant = async (req: IncomingMessage, res: ServerResponse) => {
    const isPlatform = req.url?.startsWith('/platform/') ?? false;
    if (isPlatform && !validTokens.has((req.headers.authorization ?? '').replace('Bearer ', ''))) {
      return res.writeHead(401).end();
    }
    const key = String(req.headers['idempotency-key'] ?? '');
    if (inFlight.has(key)) receiver.overlaps++;
    inFlight.add(key);
    try {
      const { fallback } = receiver;
      const behaviour = queue.shift() ?? (typeof fallback === 'function' ? fallback() : fallback);
      const ok = behaviour.status >= 200 && behaviour.status < 300;
      const seen = receiver.effective.has(key);
      // A repeated key is acknowledged without a second effect, as the contract asks.
      if (ok && !seen) receiver.effective.set(key, 1);
      if (ok) receiver.deliveries.set(key, (receiver.deliveries.get(key) ?? 0) + 1);
      if (behaviour.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
      res.writeHead(ok && seen && isPlatform ? 409 : behaviour.status).end(ok ? '{}' : 'nope');
    } finally {
      inFlight.delete(key);
    }
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = raw.toString('utf8');
      receiver.requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        signatureValid: options.secret
          ? verifyWebhookSignature(raw, req.headers['x-signature'] as string, options.secret)
          : false,
      });
      if (req.url === '/iam/v3/oauth/token') return issueToken(req, res);
      void handleGrant(req, res).catch(() => res.destroy());
    });
  };

  const listen = (at: number) =>
    new Promise<void>((resolve, reject) => {
      server = createServer(handler);
      server.once('error', reject);
      server.listen(at, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        receiver.baseUrl = `http://127.0.0.1:${port}`;
        receiver.webhookUrl = `${receiver.baseUrl}/webhook`;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });

  await listen(0);
  return receiver;
}
