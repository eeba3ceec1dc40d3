// The game backend the e2e stack's api and worker deliver rewards to (REWARD_PROVIDER=webhook).
// It runs inside the stack process (tsx), so the tests steer it over a small control server:
// it refuses every grant with a 422 (permanent: the grant fails at once, a dead letter) until a
// test accepts, and it reports what was effectively granted. Refusing by default keeps a
// failure deterministic — no injected counts that depend on how many grants came before.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRewardReceiver } from '@challenges/runtime/testing';

export const REFUSED = { status: 422 };
export const ACCEPTED = { status: 200 };

export interface E2eRewardWebhook {
  webhookUrl: string;
  secret: string;
  /** `POST /accept`, `POST /refuse`, `GET /grants` (`{ effective: {key: count}, requests }`). */
  controlUrl: string;
}

export async function startE2eRewardWebhook(secret: string): Promise<E2eRewardWebhook> {
  const receiver = await startRewardReceiver({ secret });
  receiver.fallback = REFUSED;

  const control = createServer((req: IncomingMessage, res: ServerResponse) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && (req.url === '/accept' || req.url === '/refuse')) {
      receiver.fallback = req.url === '/accept' ? ACCEPTED : REFUSED;
      return reply(200, { ok: true });
    }
    if (req.method === 'GET' && req.url === '/grants') {
      return reply(200, {
        effective: Object.fromEntries(receiver.effective),
        // Lets a test check that every delivery was signed with the stack's secret.
        requests: receiver.requests.map((r) => ({
          key: r.headers['idempotency-key'],
          signatureValid: r.signatureValid,
        })),
      });
    }
    reply(404, { error: 'unknown control route' });
  });
  await new Promise<void>((resolve, reject) => {
    control.once('error', reject);
    control.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = control.address() as AddressInfo;

  return {
    webhookUrl: receiver.webhookUrl,
    secret,
    // No close(): both servers live in the stack process and end when it exits.
    controlUrl: `http://127.0.0.1:${port}`,
  };
}
