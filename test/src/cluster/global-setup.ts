import { startRedisCluster } from '@agentops/testing';

/**
 * Starts a local 3-master Redis Cluster before the cluster project's test files run and points
 * them at it: `startPlatform()` reads REDIS_URL and, seeing a cluster URL, hash-tags its prefix.
 * The test workers are created after this runs, so they inherit the variable.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const cluster = await startRedisCluster({ masters: 3 });
  process.env.REDIS_URL = cluster.url;
  console.log(`Redis Cluster of 3 masters on ports ${cluster.ports.join(', ')}`);
  return () => cluster.stop();
}
