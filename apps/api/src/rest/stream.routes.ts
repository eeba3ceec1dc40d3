import { CoreError, encodeChallengesJson } from '@challenges/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../edge/inputs.ts';
import { goalChangeJson } from '../push/goal-changes.ts';
import type { CloseReason, StreamEvent, StreamHub } from '../push/stream-hub.ts';
import type { StreamMetrics } from '../push/stream-metrics.ts';
import { tokenExpiryMs } from '../push/token-expiry.ts';

/** A client that reads slower than its changes come is cut off; it resumes with Last-Event-ID. */
const MAX_BUFFERED_BYTES = 1 << 20;

export const ZStreamQuery = z.object({ lastEventId: z.string().max(64).optional() }).strict();

function eventText(event: StreamEvent): string {
  const data =
    event.kind === 'snapshot'
      ? Buffer.from(encodeChallengesJson(event.definitions, event.challenges)).toString('utf8')
      : JSON.stringify({ goals: event.goals.map(goalChangeJson) });
  return `id: ${event.id}\nevent: ${event.kind}\ndata: ${data}\n\n`;
}

function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * GET /v1/challenges/stream (docs/push.md): Server-Sent Events of the caller's goals. Registered
 * in the player routes' scope, so it authenticates and counts against the rate limit as they do.
 */
export function registerStreamRoute(
  app: FastifyInstance,
  deps: { hub: StreamHub; metrics?: StreamMetrics },
): void {
  // Refusals by the scope's auth and rate limit hooks, before the handler; the hub counts its
  // own (the stream cap, a 429 too).
  const handled = new WeakSet<FastifyRequest>();
  const onResponse = async (req: FastifyRequest, reply: FastifyReply) => {
    if (reply.statusCode === 401) deps.metrics?.refused('auth');
    else if (reply.statusCode === 429 && !handled.has(req)) deps.metrics?.refused('rate_limited');
  };
  app.get('/v1/challenges/stream', { onResponse }, async (req, reply) => {
    handled.add(req);
    const query = parseInput(ZStreamQuery, req.query, 'query');
    const fromHeader = header(req, 'last-event-id');
    if (fromHeader !== undefined && fromHeader.length > 64) {
      throw new CoreError('INVALID_ARGUMENT', 'invalid header: Last-Event-ID over 64 characters');
    }
    const lastEventId = fromHeader ?? query.lastEventId;
    const res = reply.raw;
    let open = true;
    const start = () => {
      if (res.headersSent) return;
      reply.hijack();
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': req.id,
      });
      res.write('retry: 1000\n\n');
    };
    const write = (text: string) => {
      if (!open) return;
      start();
      res.write(text);
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        deps.metrics?.cutOff();
        res.destroy();
      }
    };
    const close = (reason: CloseReason) => {
      if (!open) return;
      write(`event: close\ndata: {"reason":"${reason}"}\n\n`);
      open = false;
      res.end();
    };
    const closer = await deps.hub.open({
      transport: 'sse',
      userId: req.userId,
      lastEventId,
      expiresAtMs: tokenExpiryMs(header(req, 'authorization')),
      sink: {
        send: (event) => write(eventText(event)),
        heartbeat: () => write(': heartbeat\n\n'),
        close,
      },
    });
    start();
    res.on('close', () => {
      open = false;
      closer();
    });
  });
}
