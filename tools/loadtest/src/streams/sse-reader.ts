import { Agent, type ClientRequest, request } from 'node:http';
import { errorKind } from '../recorder.ts';

/** One goal of a `change` event, as far as the streams scenario reads it. */
export interface ChangedGoal {
  goalId: string;
  progress: number;
}

export interface SseHandlers {
  /** The stream's snapshot arrived (its JSON, unparsed): it is open. */
  onOpen(index: number, snapshot: string): void;
  /** A change: the ms of its id (Redis's clock when the worker published) and its goals. */
  onChange(index: number, idMs: number, goals: ChangedGoal[]): void;
  /** Refused, failed, or closed by the server (once per stream). */
  onError(index: number, reason: string): void;
}

/**
 * The generator's side of N progress streams (GET /v1/challenges/stream), kept cheap: one
 * socket each through an agent of their own — the player calls and the gRPC events have their
 * own connections, so a send never waits behind 10,000 held sockets — and a reader that
 * splits the server's `id:`/`event:`/`data:` blocks itself and parses only a change's JSON (the
 * snapshot goes to the handler as text). No reconnects: a stream that drops is an error here.
 */
export class SseReaders {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  private readonly live = new Map<number, ClientRequest>();
  private closing = false;

  constructor(
    private readonly url: URL,
    private readonly handlers: SseHandlers,
  ) {}

  /** Opens stream `index` with the player's auth header (`x-mock-user-id` or a bearer token). */
  open(index: number, auth: [string, string]): void {
    const req = request(this.url, {
      agent: this.agent,
      headers: { accept: 'text/event-stream', [auth[0]]: auth[1] },
    });
    this.live.set(index, req);
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        this.fail(index, `HTTP ${res.statusCode}`);
        return;
      }
      res.setEncoding('utf8');
      let pending = '';
      res.on('data', (chunk: string) => {
        pending = pending === '' ? chunk : pending + chunk;
        let end = pending.indexOf('\n\n');
        while (end >= 0) {
          this.block(index, pending.slice(0, end));
          pending = pending.slice(end + 2);
          end = pending.indexOf('\n\n');
        }
      });
      res.on('close', () => this.fail(index, 'stream closed by the server'));
    });
    req.on('error', (error) => this.fail(index, errorKind(error)));
    req.end();
  }

  get openCount(): number {
    return this.live.size;
  }

  close(): void {
    this.closing = true;
    for (const req of this.live.values()) req.destroy();
    this.live.clear();
    this.agent.destroy();
  }

  private fail(index: number, reason: string): void {
    if (this.closing || !this.live.delete(index)) return;
    this.handlers.onError(index, reason);
  }

  // The server writes `id: <ms>-<seq>\nevent: <kind>\ndata: <json>\n\n` (rest/stream.routes.ts),
  // a `retry:` block first and `: heartbeat` comments between.
  private block(index: number, text: string): void {
    if (!text.startsWith('id: ')) {
      if (text.startsWith('event: close')) this.fail(index, 'stream closed by the server');
      return;
    }
    const idEnd = text.indexOf('\n');
    const kindEnd = text.indexOf('\n', idEnd + 1);
    const kind = text.slice(idEnd + 8, kindEnd);
    if (kind === 'snapshot') this.handlers.onOpen(index, text.slice(kindEnd + 7));
    else if (kind === 'change') {
      const { goals } = JSON.parse(text.slice(kindEnd + 7)) as { goals: ChangedGoal[] };
      this.handlers.onChange(index, Number.parseInt(text.slice(4, idEnd), 10), goals);
    }
  }
}
