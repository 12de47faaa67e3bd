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
  for (const node of scanTargets(redis)) {
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
  for (const node of scanTargets(redis)) {
    for await (const keys of scanKeys(node, prefix)) count += keys.length;
  }
  return count;
}

/** SCAN sees one server's keys: on a cluster, every master is scanned. */
function scanTargets(redis: Redis | Cluster): Redis[] {
  return 'isCluster' in redis && redis.isCluster ? (redis as Cluster).nodes('master') : [redis as Redis];
}

async function* scanKeys(redis: Redis, prefix: string): AsyncGenerator<string[]> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    yield keys;
  } while (cursor !== '0');
}
