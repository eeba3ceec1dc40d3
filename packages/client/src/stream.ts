import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ApiError, authHeaders, type ClientOptions } from './rest.ts';
import type { Challenge, GoalState, StreamEvent } from './types.ts';

export interface SubscribeOptions {
  onEvent: (event: StreamEvent) => void;
  /** A connection ended or failed; the subscription reconnects unless the error is final. */
  onDisconnect?: (error: Error | undefined, final: boolean) => void;
  /** Resume after this id (else the server sends a snapshot first). */
  lastEventId?: string;
  /** Delay before a reconnect (the server's `retry:` overrides it). */
  reconnectDelayMs?: number;
}

export interface Subscription {
  /** The id of the last event received: a later subscription resumes from it. */
  lastEventId(): string | undefined;
  /** Every goal as the events so far describe it, by `challengeId/goalId`. */
  goals(): ReadonlyMap<string, GoalState>;
  /** Resolves once the stream is open (its first connection answered 200). */
  opened: Promise<void>;
  /** Drops the current connection (as a network failure would); the subscription reconnects. */
  drop(): void;
  close(): void;
}

function statesOf(challenges: Challenge[]): GoalState[] {
  return challenges.flatMap((c) =>
    c.goals.map((g) => ({
      challengeId: c.challengeId,
      goalId: g.goalId,
      progress: g.progress,
      status: g.status,
      locked: g.locked,
      completedAt: g.completedAt,
      claimedAt: g.claimedAt,
      isActive: g.isActive,
      expiresAt: g.expiresAt,
      expiresInSeconds: g.expiresInSeconds,
    })),
  );
}

/**
 * GET /v1/challenges/stream with reconnects: `Last-Event-ID` resumes where the last connection
 * stopped; a refused connection or a server that closes for shutdown moves to the next base URL.
 */
export function subscribe(client: ClientOptions, options: SubscribeOptions): Subscription {
  const goals = new Map<string, GoalState>();
  let lastId = options.lastEventId;
  let urlIndex = 0;
  let retryMs = options.reconnectDelayMs ?? 1000;
  let req: ClientRequest | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let markOpened: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    markOpened = resolve;
  });

  const dispatch = (type: string, id: string | undefined, data: string) => {
    if (id !== undefined) lastId = id;
    if (type === 'snapshot') {
      const { challenges } = JSON.parse(data) as { challenges: Challenge[] };
      goals.clear();
      for (const g of statesOf(challenges)) goals.set(`${g.challengeId}/${g.goalId}`, g);
      options.onEvent({ type: 'snapshot', id: id ?? '', challenges });
    } else if (type === 'change') {
      const { goals: changed } = JSON.parse(data) as { goals: GoalState[] };
      for (const g of changed) goals.set(`${g.challengeId}/${g.goalId}`, g);
      options.onEvent({ type: 'change', id: id ?? '', goals: changed });
    } else if (type === 'close') {
      // The replica is going away: the next one takes the reconnect.
      urlIndex++;
    }
  };

  const read = (res: IncomingMessage) => {
    let buffer = '';
    let type = 'message';
    let id: string | undefined;
    let data: string[] = [];
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        if (line === '') {
          if (data.length > 0) dispatch(type, id, data.join('\n'));
          type = 'message';
          id = undefined;
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') data.push(value);
        else if (field === 'event') type = value;
        else if (field === 'id') id = value;
        else if (field === 'retry' && /^\d+$/.test(value)) retryMs = Number(value);
      }
    });
  };

  const reconnect = (error: Error | undefined, final = false) => {
    req = undefined;
    options.onDisconnect?.(error, final);
    if (closed || final) return;
    timer = setTimeout(connect, retryMs);
  };

  async function connect() {
    if (closed) return;
    const base = client.baseUrls[urlIndex % client.baseUrls.length]!;
    const url = new URL(`${base}${client.basePath ?? '/challenge'}/v1/challenges/stream`);
    const headers: Record<string, string> = {
      accept: 'text/event-stream',
      ...(await authHeaders(client)),
    };
    if (lastId) headers['last-event-id'] = lastId;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const current = send(url, { headers, agent: false });
    req = current;
    let answered = false;
    current.on('response', (res) => {
      answered = true;
      if (res.statusCode !== 200) {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const body = text ? JSON.parse(text) : undefined;
          // Refused credentials end the subscription; a limit or a 5xx is retried.
          reconnect(new ApiError(status, body), status >= 400 && status < 500 && status !== 429);
        });
        return;
      }
      markOpened();
      read(res);
      res.on('close', () => reconnect(undefined));
    });
    current.on('error', (error) => {
      if (answered) return;
      // Nothing answered here: try the next replica.
      urlIndex++;
      reconnect(error);
    });
    current.end();
  }

  void connect();
  return {
    lastEventId: () => lastId,
    goals: () => goals,
    opened,
    drop: () => req?.destroy(),
    close() {
      closed = true;
      clearTimeout(timer);
      req?.destroy();
    },
  };
}
