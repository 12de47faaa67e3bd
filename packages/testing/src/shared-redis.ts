import { randomBytes } from 'node:crypto';
import { type Cluster, Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** A key prefix of this test file's own, so that files running at once on the shared Redis never meet. */
export function testPrefix(pkg: string): string {
  return `test-${pkg}-${randomBytes(6).toString('hex')}`;
}

export function connectTestRedis(): Redis {
  return new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: false });
}

/** Deletes every key under the prefix (SCAN, never FLUSHDB: the Redis is shared). */
export async function deleteKeys(redis: Redis | Cluster, prefix: string): Promise<number> {
  let deleted = 0;
  for (const node of await scanTargets(redis)) {
    for await (const keys of scanKeys(node, prefix)) {
      // One DEL per key: keys of different slots cannot share a command on a cluster.
      if (keys.length > 0)
        deleted += (await Promise.all(keys.map((key) => redis.del(key)))).reduce((a, b) => a + b, 0);
    }
  }
  return deleted;
}

export async function countKeys(redis: Redis | Cluster, prefix: string): Promise<number> {
  let count = 0;
  for (const node of await scanTargets(redis)) {
    for await (const keys of scanKeys(node, prefix)) count += keys.length;
  }
  return count;
}

/**
 * SCAN sees one server's keys: on a cluster, every master is scanned, as the cluster knows them
 * now (a client that sat idle through a failover still lists the dead master and not the new one).
 */
async function scanTargets(redis: Redis | Cluster): Promise<Redis[]> {
  if (!('isCluster' in redis && redis.isCluster)) return [redis as Redis];
  const cluster = redis as Cluster;
  await new Promise<void>((resolve, reject) =>
    cluster.refreshSlotsCache((error) => (error ? reject(error) : resolve())),
  );
  return cluster.nodes('master');
}

async function* scanKeys(redis: Redis, prefix: string): AsyncGenerator<string[]> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    yield keys;
  } while (cursor !== '0');
}
