import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { ConfigError } from './errors.ts';

/**
 * A connection to one Redis or to a Redis Cluster. Every store, Lua command and BullMQ queue
 * takes either: with a hash-tagged `REDIS_PREFIX` (`{agentops}`) all keys share one slot, so
 * multi-key scripts, transactions and BullMQ flows work the same on both.
 */
export type RedisConnection = Redis | Cluster;

export interface RedisNode {
  host: string;
  port: number;
}

/**
 * Where `REDIS_URL` points. `redis://` and `rediss://` are one server (ioredis URL syntax);
 * `redis-cluster://[user:password@]host:port[,host:port…]` (`rediss-cluster://` for TLS) are the
 * seed nodes of a Redis Cluster, from which the client learns the rest of the topology.
 */
export type RedisTarget =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: RedisNode[]; username?: string; password?: string; tls: boolean };

const CLUSTER_SCHEMES = new Map([
  ['redis-cluster:', false],
  ['rediss-cluster:', true],
]);

export function parseRedisUrl(url: string): RedisTarget {
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(url)?.[1]?.toLowerCase();
  const tls = scheme === undefined ? undefined : CLUSTER_SCHEMES.get(scheme);
  if (scheme === undefined || tls === undefined) return { kind: 'single', url };

  // Not `new URL()`: a comma-separated host list is no valid authority.
  const rest = url.slice(scheme.length + 2).replace(/\/.*$/, '');
  const at = rest.lastIndexOf('@');
  const auth = at >= 0 ? rest.slice(0, at) : '';
  const hosts = at >= 0 ? rest.slice(at + 1) : rest;
  const nodes = hosts.split(',').map((entry) => parseNode(entry.trim(), url));
  const colon = auth.indexOf(':');
  const username = decodeURIComponent(colon >= 0 ? auth.slice(0, colon) : auth);
  const password = colon >= 0 ? decodeURIComponent(auth.slice(colon + 1)) : '';
  return {
    kind: 'cluster',
    nodes,
    tls,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
  };
}

function parseNode(entry: string, url: string): RedisNode {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(entry);
  const port = Number(match?.[2] ?? 6379);
  if (!match?.[1] || port < 1 || port > 65_535) {
    throw new ConfigError(
      `REDIS_URL: "${entry}" in ${redactRedisUrl(url)} is not host:port (redis-cluster://host:port,host:port)`,
    );
  }
  return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port };
}

/** The URL with its password replaced, for logs and error messages. */
export function redactRedisUrl(url: string): string {
  return url.replace(/(\/\/[^/@]*?:)[^/@]*@/, '$1***@');
}

/**
 * Connections for BullMQ workers and other blocking users: they must wait for Redis to come back
 * rather than fail a command (BullMQ requires `maxRetriesPerRequest: null`).
 */
export function createWorkerConnection(url: string, name: string): RedisConnection {
  return connect(url, { ...baseOptions(name), maxRetriesPerRequest: null });
}

/**
 * Connections that serve requests: a command fails fast while Redis is down, so an HTTP request
 * answers 503 instead of hanging until a client times out.
 */
export function createCommandConnection(url: string, name: string): RedisConnection {
  return connect(url, { ...baseOptions(name), maxRetriesPerRequest: 2, connectTimeout: 5_000 });
}

function connect(url: string, options: RedisOptions): RedisConnection {
  const target = parseRedisUrl(url);
  if (target.kind === 'single') return new Redis(url, options);
  const { enableAutoPipelining, retryStrategy, ...nodeOptions } = options;
  const clusterOptions: ClusterOptions = {
    enableAutoPipelining,
    // The same patience as a single server: a cluster that lost its quorum for a while must not
    // need a service restart either.
    clusterRetryStrategy: retryStrategy ? (times) => retryStrategy(times) ?? null : undefined,
    // During a failover the slot moves to the promoted replica; commands wait for it.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: 2_000,
    // Managed clusters announce node addresses that TLS certificates name; resolving them to IPs
    // first would fail the certificate check.
    dnsLookup: (address, callback) => callback(null, address),
    redisOptions: {
      ...nodeOptions,
      ...(target.username ? { username: target.username } : {}),
      ...(target.password ? { password: target.password } : {}),
      ...(target.tls ? { tls: {} } : {}),
    },
  };
  return new Cluster(target.nodes, clusterOptions);
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
export async function closeRedis(redis: RedisConnection): Promise<void> {
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
