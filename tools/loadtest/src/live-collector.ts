import {
  createRedis,
  type LiveProcessSeries,
  liveSeries,
  type RedisClient,
  type RedisConnection,
} from '@challenges/runtime';

const POLL_MS = 5_000;
// Two polls' worth, so a slow poll does not leave a gap.
const WINDOW_S = 12;

/**
 * Keeps every per-second snapshot the api and worker processes publish to Redis during a run.
 * Redis holds only each process's last hour of points, so a longer run (a soak)
 * must collect them as it goes.
 */
export class LiveCollector {
  private readonly redis: RedisClient;
  private readonly byId = new Map<string, LiveProcessSeries>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();

  constructor(
    connection: RedisConnection,
    private readonly prefix: string,
  ) {
    this.redis = createRedis(connection, { lazyConnect: true, maxRetriesPerRequest: 1 });
  }

  async start(): Promise<void> {
    await this.redis.connect().catch(() => undefined);
    await this.poll(60);
    this.timer = setInterval(() => {
      this.polling = this.polling.then(() => this.poll(WINDOW_S));
    }, POLL_MS);
  }

  private async poll(windowS: number): Promise<void> {
    let fresh: LiveProcessSeries[];
    try {
      fresh = await liveSeries(this.redis, this.prefix, windowS);
    } catch {
      return; // Redis unreachable: the report says what it has
    }
    for (const s of fresh) {
      const known = this.byId.get(s.id);
      if (!known) {
        this.byId.set(s.id, { ...s, endpoints: [] });
        continue;
      }
      const last = known.points.at(-1)?.t ?? 0;
      known.points.push(...s.points.filter((p) => p.t > last));
      known.lastSeen = s.lastSeen;
    }
  }

  /** Every process seen so far, oldest point first (endpoint series are not kept). */
  series(): LiveProcessSeries[] {
    return [...this.byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Collects the latest points now (the end of a phase). */
  async flush(): Promise<void> {
    this.polling = this.polling.then(() => this.poll(WINDOW_S));
    await this.polling;
  }

  /** The redis-server's pid as it reports it (INFO server), for the CPU table. */
  async serverPid(): Promise<number | null> {
    try {
      const info = await this.redis.info('server');
      const m = /^process_id:(\d+)/m.exec(info);
      return m ? Number(m[1]) : null;
    } catch {
      return null;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    this.redis.disconnect();
  }
}
