import { Redis, type RedisOptions } from 'ioredis';

/**
 * Connections for BullMQ workers and other blocking users: they must wait for Redis to come back
 * rather than fail a command (BullMQ requires `maxRetriesPerRequest: null`).
 */
export function createWorkerConnection(url: string, name: string): Redis {
  return new Redis(url, { ...baseOptions(name), maxRetriesPerRequest: null });
}

/**
 * Connections that serve requests: a command fails fast while Redis is down, so an HTTP request
 * answers 503 instead of hanging until a client times out.
 */
export function createCommandConnection(url: string, name: string): Redis {
  return new Redis(url, { ...baseOptions(name), maxRetriesPerRequest: 2, connectTimeout: 5_000 });
}

function baseOptions(name: string): RedisOptions {
  return {
    connectionName: name,
    // Off: an auto-pipeline copies every script defined on its connection (BullMQ defines about
    // fifty) for each batch, which cost a fifth of a router's CPU (npm run bench); commands that
    // belong together are sent in one MULTI or one Lua script instead.
    enableAutoPipelining: false,
    // Reconnect for ever with a capped delay: a Redis restart must not need a service restart.
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2_000),
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
  };
}

/** Quits a connection, or drops it if Redis is unreachable so that shutdown never hangs. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  try {
    await Promise.race([
      redis.quit(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('quit')), 1_000)),
    ]);
  } catch {
    redis.disconnect();
  }
}
