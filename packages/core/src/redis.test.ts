import { Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.ts';
import {
  closeRedis,
  createCommandConnection,
  createWorkerConnection,
  parseRedisUrl,
  redactRedisUrl,
} from './redis.ts';

describe('parseRedisUrl', () => {
  it('leaves a one-server URL to ioredis', () => {
    expect(parseRedisUrl('redis://:secret@redis:6379/0')).toEqual({
      kind: 'single',
      url: 'redis://:secret@redis:6379/0',
    });
    expect(parseRedisUrl('rediss://cache.example.com:6380').kind).toBe('single');
  });

  it('reads the seed nodes of a cluster URL', () => {
    expect(parseRedisUrl('redis-cluster://10.0.0.1:7000,10.0.0.2:7001, redis-2')).toEqual({
      kind: 'cluster',
      tls: false,
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: 'redis-2', port: 6379 },
      ],
    });
  });

  it('reads credentials, TLS and IPv6 hosts', () => {
    expect(parseRedisUrl('rediss-cluster://app:p%40ss@[::1]:7000,cfg.cache.example.com:6379')).toEqual({
      kind: 'cluster',
      tls: true,
      username: 'app',
      password: 'p@ss',
      nodes: [
        { host: '::1', port: 7000 },
        { host: 'cfg.cache.example.com', port: 6379 },
      ],
    });
    expect(parseRedisUrl('redis-cluster://:only-password@h:1')).toMatchObject({ password: 'only-password' });
    expect(parseRedisUrl('redis-cluster://:only-password@h:1')).not.toHaveProperty('username');
  });

  it('refuses a node that is not host:port, without echoing the password', () => {
    expect(() => parseRedisUrl('redis-cluster://:hunter2@h:1,h:port')).toThrow(ConfigError);
    expect(() => parseRedisUrl('redis-cluster://h:70000')).toThrow(/REDIS_URL/);
    try {
      parseRedisUrl('redis-cluster://:hunter2@h:1,');
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});

describe('redactRedisUrl', () => {
  it('hides the password only', () => {
    expect(redactRedisUrl('redis://user:secret@h:1')).toBe('redis://user:***@h:1');
    expect(redactRedisUrl('redis-cluster://:secret@a:1,b:2')).toBe('redis-cluster://:***@a:1,b:2');
    expect(redactRedisUrl('redis://h:1')).toBe('redis://h:1');
  });
});

describe('connection factories', () => {
  it('build a Cluster client for a cluster URL and a plain one otherwise', async () => {
    // Nothing listens on these ports: the clients are only built, then dropped.
    const worker = createWorkerConnection('redis-cluster://127.0.0.1:1,127.0.0.1:2', 'test');
    const command = createCommandConnection('redis://127.0.0.1:1', 'test');
    worker.on('error', () => undefined);
    command.on('error', () => undefined);
    try {
      expect(worker).toBeInstanceOf(Cluster);
      // BullMQ refuses a blocking connection that gives up on a command.
      expect((worker as Cluster).options.redisOptions?.maxRetriesPerRequest).toBeNull();
      expect(command).toBeInstanceOf(Redis);
    } finally {
      worker.disconnect();
      await closeRedis(command);
    }
  });
});
