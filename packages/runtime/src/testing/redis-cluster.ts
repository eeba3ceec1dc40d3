import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type Daemon, startDaemon } from '../daemon.ts';
import { freePort } from '../free-port.ts';

const run = promisify(execFile);

/** A real Redis Cluster of `redis-server` processes on free local ports, for integration tests. */
export interface TestRedisCluster {
  /** `127.0.0.1:<port>` of every node: REDIS_CLUSTER_NODES. */
  seeds: string[];
  /** The port of the master that serves `key`'s slot now. */
  masterOf(key: string): Promise<number>;
  /** Live replicas of a master, by port. */
  replicasOf(masterPort: number): Promise<number[]>;
  /** Drops a master's replication links and keeps its replicas from resyncing. */
  cutReplication(masterPort: number): Promise<void>;
  /** kill -9 of a node's process. */
  kill(port: number): void;
  /** Waits until a live node serves every slot `port` served and the cluster is `ok` again. */
  waitForPromotion(deadPort: number, timeoutMs: number): Promise<number>;
  close(): Promise<void>;
}

async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]);
  return stdout;
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`Redis Cluster: ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface ClusterNodeLine {
  id: string;
  /** The master's id for a replica, `-` for a master. */
  masterId: string;
  port: number;
  master: boolean;
  failed: boolean;
  slots: Array<[number, number]>;
}

/** CLUSTER NODES as one node sees it: `<id> <ip:port@bus> <flags> <master> … <slot ranges>`. */
async function clusterNodes(port: number): Promise<ClusterNodeLine[]> {
  return (await cli(port, 'CLUSTER', 'NODES'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const fields = line.trim().split(' ');
      const flags = fields[2]!.split(',');
      const slots = fields
        .slice(8)
        .filter((range) => !range.startsWith('['))
        .map((range) => {
          const [from, to = from] = range.split('-');
          return [Number(from), Number(to)] as [number, number];
        });
      return {
        id: fields[0]!,
        masterId: fields[3]!,
        port: Number(/:(\d+)@/.exec(fields[1]!)![1]),
        master: flags.includes('master'),
        failed: flags.includes('fail') || flags.includes('fail?'),
        slots,
      };
    });
}

/**
 * Starts `masters` masters with `replicas` replicas each (`redis-cli --cluster create`) and waits
 * until the cluster is `ok` and every replica is in sync. A short node timeout makes a failover
 * take about two seconds; replicas may always be promoted (validity factor 0).
 */
export async function startRedisCluster(
  options: { masters?: number; replicas?: number; nodeTimeoutMs?: number } = {},
): Promise<TestRedisCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicas ?? 1;
  const nodes = new Map<number, Daemon>();
  const close = async () => {
    await Promise.all([...nodes.values()].map((node) => node.stop('SIGKILL')));
  };
  try {
    for (let i = 0; i < masters * (1 + replicas); i++) {
      const [port, busPort] = [await freePort(), await freePort()];
      // The bus port is set: the default (port + 10000) may be taken or beyond 65535.
      const node = startDaemon({
        command: 'redis-server',
        prefix: 'redis-cluster-node-',
        // biome-ignore format: one setting per line
        args: (dir) => [
          '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
          '--cluster-enabled', 'yes', '--cluster-port', String(busPort),
          '--cluster-config-file', 'nodes.conf',
          '--cluster-node-timeout', String(options.nodeTimeoutMs ?? 1000),
          '--cluster-replica-validity-factor', '0',
          '--save', '', '--appendonly', 'no', '--loglevel', 'warning',
        ],
      });
      nodes.set(port, node);
    }
    const ports = [...nodes.keys()];
    for (const port of ports) {
      await until(
        'a node answering PING',
        async () => (await cli(port, 'PING')).includes('PONG'),
        10_000,
      );
    }
    const seeds = ports.map((port) => `127.0.0.1:${port}`);
    // biome-ignore format: one option per line
    await run('redis-cli', [
      '--cluster', 'create', ...seeds,
      '--cluster-replicas', String(replicas), '--cluster-yes',
    ]);
    await until(
      'cluster_state:ok on every node with replicas in sync',
      async () => {
        for (const port of ports) {
          if (!(await cli(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok')) return false;
          const replication = await cli(port, 'INFO', 'replication');
          if (replication.includes('role:slave') && !replication.includes('master_link_status:up'))
            return false;
        }
        return true;
      },
      30_000,
    );
    const killed = new Set<number>();
    const alive = () => ports.filter((port) => !killed.has(port));

    return {
      seeds,
      async masterOf(key) {
        const slot = Number((await cli(alive()[0]!, 'CLUSTER', 'KEYSLOT', key)).trim());
        const owner = (await clusterNodes(alive()[0]!)).find(
          (node) => node.master && node.slots.some(([from, to]) => slot >= from && slot <= to),
        );
        if (!owner) throw new Error(`no master serves slot ${slot}`);
        return owner.port;
      },
      async replicasOf(masterPort) {
        const nodes = await clusterNodes(alive()[0]!);
        const master = nodes.find((node) => node.port === masterPort);
        return nodes
          .filter((node) => !node.failed && master !== undefined && node.masterId === master.id)
          .map((node) => node.port);
      },
      async cutReplication(masterPort) {
        // Replicas sign in as `default`: without PSYNC/SYNC they cannot come back.
        await cli(masterPort, 'ACL', 'SETUSER', 'default', '-psync', '-sync');
        await cli(masterPort, 'CLIENT', 'KILL', 'TYPE', 'replica');
      },
      kill(port) {
        killed.add(port);
        nodes.get(port)?.child.kill('SIGKILL');
      },
      async waitForPromotion(deadPort, timeoutMs) {
        const survivor = alive().find((port) => port !== deadPort)!;
        const before = (await clusterNodes(survivor)).find((node) => node.port === deadPort);
        const slot = before?.slots[0]?.[0] ?? 0;
        let promoted = 0;
        await until(
          'a replica promoted',
          async () => {
            const owner = (await clusterNodes(survivor)).find(
              (node) =>
                node.master &&
                !node.failed &&
                node.slots.some(([from, to]) => slot >= from && slot <= to),
            );
            if (!owner || owner.port === deadPort) return false;
            for (const port of alive()) {
              if (!(await cli(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok')) return false;
            }
            promoted = owner.port;
            return true;
          },
          timeoutMs,
        );
        return promoted;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
