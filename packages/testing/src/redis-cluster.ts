import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

const run = promisify(execFile);

export interface LocalRedisCluster {
  /** `redis-cluster://127.0.0.1:p1,127.0.0.1:p2,…`, the REDIS_URL the services take. */
  url: string;
  ports: number[];
  /** The port of the master that serves a key's slot now. */
  masterOf(key: string): Promise<number>;
  /** kill -9 of one node, as a crashed host. */
  killNode(port: number): Promise<void>;
  /** Resolves once every live node holds a dead master failed and every slot served again. */
  waitForFailover(deadPort: number, timeoutMs?: number): Promise<void>;
  /** Stops every node and removes their data. */
  stop(): Promise<void>;
}

/**
 * A throwaway Redis Cluster of `masters` masters with `replicas` replicas each, from the
 * `redis-server` and `redis-cli` on PATH: ports in a free range (each node also needs its bus
 * port, +10000), data in a temp folder, slots assigned by `redis-cli --cluster create`. Resolves
 * once every node sees every slot served.
 */
export async function startRedisCluster(
  options: { masters?: number; replicas?: number; nodeTimeoutMs?: number } = {},
): Promise<LocalRedisCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicas ?? 0;
  const ports = await freePortRange(masters * (1 + replicas));
  const dir = mkdtempSync(join(tmpdir(), 'agentops-cluster-'));
  const nodes: ChildProcess[] = [];
  // A test runner that exits without its teardown must not leave servers behind.
  const killOnExit = () => {
    for (const node of nodes) node.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await Promise.all(nodes.map(stopNode));
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    for (const port of ports) {
      const node = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          // How long a master may be unreachable before its replica takes over.
          '--cluster-node-timeout',
          String(options.nodeTimeoutMs ?? 5_000),
          '--dir',
          dir,
          '--save',
          '',
          '--appendonly',
          'no',
          // A replica is synced at once, not after the default 5 s pause that waits for more replicas.
          '--repl-diskless-sync-delay',
          '0',
        ],
        { stdio: 'ignore' },
      );
      nodes.push(node);
      await new Promise<void>((resolve, reject) => {
        node.once('spawn', resolve);
        node.once('error', (error: NodeJS.ErrnoException) =>
          reject(
            error.code === 'ENOENT'
              ? new Error('redis-server is not on PATH (apt-get install redis-server)')
              : error,
          ),
        );
      });
    }
    await Promise.all(ports.map((port) => waitFor(() => answers(port), `node ${port} answers PING`)));
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      String(replicas),
      '--cluster-yes',
    ]);
    await Promise.all(
      ports.map((port) =>
        waitFor(() => seesWholeCluster(port, ports.length), `node ${port} sees the cluster`),
      ),
    );
    // A replica that has not synced yet cannot take over from its master.
    await Promise.all(ports.map((port) => waitFor(() => replicaInSync(port), `node ${port} is in sync`)));
  } catch (error) {
    await stop();
    throw error;
  }
  const alive = () =>
    ports.filter((_, index) => nodes[index]?.exitCode === null && !nodes[index]?.signalCode);
  return {
    url: `redis-cluster://${ports.map((port) => `127.0.0.1:${port}`).join(',')}`,
    ports,
    masterOf: async (key) => {
      for (const port of alive()) {
        const owner = await withNode(port, async (redis) => {
          const slot = Number(await redis.cluster('KEYSLOT', key));
          return masterServing(String(await redis.cluster('NODES')), slot);
        });
        if (owner !== undefined) return owner;
      }
      throw new Error(`no live node knows the master of ${key}`);
    },
    killNode: async (port) => {
      const node = nodes[ports.indexOf(port)];
      if (!node) throw new Error(`no node on port ${port}`);
      const exited = new Promise((resolve) => node.once('close', resolve));
      node.kill('SIGKILL');
      await exited;
    },
    waitForFailover: async (deadPort, timeoutMs = 30_000) => {
      const failedOver = async (port: number) => {
        const nodes = await withNode(port, (redis) => redis.cluster('NODES'));
        const dead = String(nodes ?? '')
          .split('\n')
          .find((line) => line.split(' ')[1]?.startsWith(`127.0.0.1:${deadPort}@`));
        return (dead?.split(' ')[2] ?? '').includes('fail') && (await servesEverySlot(port));
      };
      await Promise.all(
        alive().map((port) =>
          waitFor(() => failedOver(port), `node ${port} sees ${deadPort} replaced`, timeoutMs),
        ),
      );
    },
    stop,
  };
}

async function stopNode(node: ChildProcess): Promise<void> {
  if (node.exitCode !== null || node.signalCode !== null) return;
  const exited = new Promise((resolve) => node.once('close', resolve));
  node.kill('SIGTERM');
  const timer = setTimeout(() => node.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Consecutive ports whose bus ports (+10000) are free too, from a random base. */
async function freePortRange(count: number): Promise<number[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 21_000 + Math.floor(Math.random() * 9_000);
    const ports = Array.from({ length: count }, (_, index) => base + index);
    const free = await Promise.all(ports.flatMap((port) => [isFree(port), isFree(port + 10_000)]));
    if (free.every(Boolean)) return ports;
  }
  throw new Error('no free port range for a Redis Cluster');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function withNode<T>(port: number, use: (redis: Redis) => Promise<T>): Promise<T | undefined> {
  const redis = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await use(redis);
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}

const answers = async (port: number) => (await withNode(port, (redis) => redis.ping())) === 'PONG';

async function clusterInfo(port: number): Promise<((name: string) => string | undefined) | undefined> {
  const info = await withNode(port, (redis) => redis.cluster('INFO'));
  if (typeof info !== 'string') return undefined;
  return (name) => new RegExp(`^${name}:(\\S+)`, 'm').exec(info)?.[1];
}

async function servesEverySlot(port: number): Promise<boolean> {
  const field = await clusterInfo(port);
  return field?.('cluster_state') === 'ok' && field('cluster_slots_ok') === '16384';
}

async function seesWholeCluster(port: number, nodes: number): Promise<boolean> {
  const field = await clusterInfo(port);
  return (await servesEverySlot(port)) && Number(field?.('cluster_known_nodes')) === nodes;
}

/** True for a master, and for a replica whose link to its master is up. */
async function replicaInSync(port: number): Promise<boolean> {
  const info = await withNode(port, (redis) => redis.info('replication'));
  return typeof info === 'string' && (/^role:master/m.test(info) || /^master_link_status:up/m.test(info));
}

/** The port of the healthy master whose slot ranges hold `slot`, from CLUSTER NODES. */
function masterServing(nodes: string, slot: number): number | undefined {
  for (const line of nodes.split('\n')) {
    const [, address = '', flags = '', , , , , , ...slots] = line.split(' ');
    if (!flags.split(',').includes('master') || flags.includes('fail')) continue;
    for (const range of slots) {
      const [from, to = from] = range.split('-').map(Number);
      if (from !== undefined && to !== undefined && slot >= from && slot <= to) {
        return Number(address.split('@')[0]?.split(':')[1]);
      }
    }
  }
  return undefined;
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Redis Cluster: timed out waiting until ${what}`);
}
