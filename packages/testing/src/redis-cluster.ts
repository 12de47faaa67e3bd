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
  /** Stops every node and removes their data. */
  stop(): Promise<void>;
}

/**
 * A throwaway Redis Cluster of `masters` nodes (no replicas) from the `redis-server` and
 * `redis-cli` on PATH: ports in a free range (each node also needs its bus port, +10000), data
 * in a temp folder, slots assigned by `redis-cli --cluster create`. Resolves once every node
 * sees every slot served.
 */
export async function startRedisCluster(options: { masters?: number } = {}): Promise<LocalRedisCluster> {
  const masters = options.masters ?? 3;
  const ports = await freePortRange(masters);
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
          '--cluster-node-timeout',
          '5000',
          '--dir',
          dir,
          '--save',
          '',
          '--appendonly',
          'no',
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
      '0',
      '--cluster-yes',
    ]);
    await Promise.all(
      ports.map((port) => waitFor(() => seesWholeCluster(port, masters), `node ${port} sees the cluster`)),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis-cluster://${ports.map((port) => `127.0.0.1:${port}`).join(',')}`, ports, stop };
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

async function seesWholeCluster(port: number, masters: number): Promise<boolean> {
  const info = await withNode(port, (redis) => redis.cluster('INFO'));
  if (typeof info !== 'string') return false;
  const field = (name: string) => new RegExp(`^${name}:(\\S+)`, 'm').exec(info)?.[1];
  return (
    field('cluster_state') === 'ok' &&
    field('cluster_slots_ok') === '16384' &&
    Number(field('cluster_known_nodes')) === masters
  );
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Redis Cluster: timed out waiting until ${what}`);
}
