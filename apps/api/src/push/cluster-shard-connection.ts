import { type Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * One shard's connection in a Redis Cluster: a plain connection to the master of the shard's
 * slot, and nothing else (docs/push.md: 16 per api replica). It starts at any node the cluster
 * client knows and follows MOVED; when its node fails it is dropped, and the next attempt goes
 * to the next known node, which after a failover answers MOVED to the promoted replica. (An
 * ioredis Cluster per shard would keep one more connection to each node a redirect visited.)
 */
export class ClusterShardConnection {
  private client: Redis | undefined;
  private movedTo: { host: string; port: number } | undefined;
  private tried = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly log: Logger,
  ) {}

  /** The connection to send the shard's next command on. */
  current(): Redis {
    if (this.client) return this.client;
    const nodes = this.cluster.nodes('all');
    const node = nodes[this.tried++ % Math.max(1, nodes.length)];
    const target = this.movedTo ?? (node && { host: node.options.host, port: node.options.port });
    if (!target?.host || !target.port) throw new Error('no Redis Cluster node known yet');
    const client = new Redis({
      ...this.cluster.options.redisOptions,
      host: target.host,
      port: target.port,
      // No reconnect to the same node: a failed node's commands fail, and the next goes elsewhere.
      retryStrategy: () => null,
      maxRetriesPerRequest: null,
    });
    client.on('error', (error) => this.log.debug({ err: error }, 'push reader: redis error'));
    this.client = client;
    return client;
  }

  /**
   * After a failed command: a MOVED reply names the master to use (retry at once: true); any other
   * error drops the connection, and the caller backs off.
   */
  failed(error: unknown): boolean {
    const message = error instanceof Error ? error.message : '';
    const moved = /^MOVED \d+ (.*):(\d+)$/.exec(message);
    // An empty host in MOVED means the node that answered.
    const host = moved && (moved[1] || this.client?.options.host);
    this.movedTo = moved && host ? { host, port: Number(moved[2]) } : undefined;
    this.close();
    return this.movedTo !== undefined;
  }

  close(): void {
    this.client?.disconnect();
    this.client = undefined;
  }
}
