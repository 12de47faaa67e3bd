import { type LocalRedisCluster, startRedisCluster } from '@agentops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from '../platform.ts';

// A cluster of its own, with a replica per master, so that killing a master disturbs no other file.
let cluster: LocalRedisCluster;
let platform: TestPlatform;
beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicas: 1, nodeTimeoutMs: 2_000 });
  platform = await startPlatform({ redisUrl: cluster.url });
}, 90_000);
afterAll(async () => {
  // The nodes must go even if the services cannot stop cleanly on a broken cluster.
  try {
    await Promise.race([platform?.stop(), new Promise((resolve) => setTimeout(resolve, 30_000))]);
  } finally {
    await cluster?.stop();
  }
}, 60_000);

describe('a Redis Cluster failover', () => {
  it('keeps the platform serving when the master of its slot dies: no service restarts, the history survives', async () => {
    const session = await platform.client.createSession({ userId: 'failover' });
    const before = await platform.client.postTurn(session.sessionId, 'Where is my order A1001?', {
      wait: 20,
    });
    expect(before.body.status).toBe('completed');

    // Every key of the platform is in one slot: its master is the one node that matters.
    const master = await cluster.masterOf(`${platform.prefix}:session:${session.sessionId}`);
    await cluster.killNode(master);
    await cluster.waitForFailover(master);
    expect(await cluster.masterOf(`${platform.prefix}:session:${session.sessionId}`)).not.toBe(master);

    const after = await platform.client.postTurn(session.sessionId, 'Where is my order A1003?', { wait: 30 });
    expect(after.body.status).toBe('completed');
    const view = await platform.client.getSession(session.sessionId);
    const said = JSON.stringify(view);
    expect(said).toContain('A1001');
    expect(said).toContain('A1003');
    for (const service of platform.services.values()) expect(service.child.exitCode).toBeNull();
  });
});
