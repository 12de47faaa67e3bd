import { startService } from '@agentops/launcher';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from '../platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

describe('the platform on a Redis Cluster of 3 masters', () => {
  it('runs on a cluster with a hash-tagged prefix', () => {
    expect(platform.redisUrl).toMatch(/^redis-cluster:\/\//);
    expect(platform.prefix).toMatch(/^\{e2e-[0-9a-f]+\}$/);
  });

  it('keeps every key of a turn, its tool call, queues and confirmation in one slot of one node', async () => {
    const session = await platform.client.createSession({ userId: 'slot' });
    const { body: turn } = await platform.client.postTurn(session.sessionId, 'Where is my order A1001?', {
      wait: 20,
    });
    expect(turn.status).toBe('completed');
    const { body: refund } = await platform.client.postTurn(session.sessionId, 'Please refund order A1002', {
      wait: 20,
    });
    expect(refund.status).toBe('waiting_confirmation');

    const cluster = platform.redis as Cluster;
    const keysByNode = await Promise.all(
      cluster.nodes('master').map(async (node) => {
        const keys: string[] = [];
        let cursor = '0';
        do {
          const [next, found] = await node.scan(cursor, 'MATCH', `${platform.prefix}:*`, 'COUNT', 1000);
          cursor = next;
          keys.push(...found);
        } while (cursor !== '0');
        return keys;
      }),
    );
    const nodesWithKeys = keysByNode.filter((keys) => keys.length > 0);
    expect(nodesWithKeys).toHaveLength(1);
    const keys = nodesWithKeys[0] ?? [];
    // Sessions, turns, the turns and tool queues (BullMQ), usage and the confirmation.
    expect(keys.some((key) => key.includes(':session:'))).toBe(true);
    expect(keys.some((key) => key.includes(':turns:'))).toBe(true);
    expect(keys.some((key) => key.includes(':tool.get_order_status:'))).toBe(true);
    expect(keys.some((key) => key.includes(':confirmation:'))).toBe(true);
    const slots = new Set(await Promise.all(keys.map((key) => cluster.cluster('KEYSLOT', key))));
    expect(slots.size).toBe(1);
  });

  it('answers ready once the workers are registered on the cluster', async () => {
    const response = await fetch(`${platform.apiUrl}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready' });
  });

  it('a worker answers its orchestrator probes on HEALTH_PORT once connected to the cluster', async () => {
    let healthPort: unknown;
    const budget = await startService({
      name: 'budget',
      env: { ...process.env, REDIS_URL: platform.redisUrl, REDIS_PREFIX: platform.prefix, HEALTH_PORT: '0' },
      onLine: (_name, line) => {
        if (typeof line === 'object' && line.msg === 'health endpoint listening')
          healthPort = line.healthPort;
      },
    });
    try {
      expect(typeof healthPort).toBe('number');
      const base = `http://127.0.0.1:${String(healthPort)}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { redis: true, worker: true } });
    } finally {
      expect(await budget.stop(10_000)).toBe(0);
    }
  });

  it('refuses to start a service whose prefix has no hash tag, naming REDIS_PREFIX', async () => {
    const started = startService({
      name: 'budget',
      env: { ...process.env, REDIS_URL: platform.redisUrl, REDIS_PREFIX: 'agentops' },
      readyTimeoutMs: 15_000,
    });
    await expect(started).rejects.toThrow(/REDIS_PREFIX.*hash tag/s);
  });
});
