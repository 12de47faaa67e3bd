import { randomBytes } from 'node:crypto';
import { ApiClient } from '@agentops/client';
import { createCommandConnection, parseRedisUrl, type RedisConnection } from '@agentops/core';
import { type RunningService, type ServiceName, startService } from '@agentops/launcher';
import { deleteKeys } from '@agentops/testing';

export interface TestKey {
  key: string;
  role: 'client' | 'support' | 'ops';
  tenant: string;
}

export interface TestPlatform {
  prefix: string;
  redisUrl: string;
  apiUrl: string;
  demoUrl: string;
  keys: Record<string, TestKey>;
  /** A client of the API with the `client` key of tenant `default`. */
  client: ApiClient;
  /** Any key by name, e.g. `clientOf('otherTenant')`. */
  clientOf(name: string): ApiClient;
  redis: RedisConnection;
  services: Map<ServiceName, RunningService>;
  /** What the demo backend has received since the last reset. */
  demoStats(): Promise<DemoStats>;
  resetDemoStats(): Promise<void>;
  /** Lines every service logged, newest last (JSON parsed), for assertions on logs. */
  logs: { service: ServiceName; line: Record<string, unknown> }[];
  /** kill -9 a service (the one named; not the extra routers) and start a fresh one in its place. */
  killAndRestart(name: ServiceName): Promise<void>;
  /** SIGTERM a service, wait for it to exit, start a fresh one; returns the old one's exit code. */
  stopAndRestart(name: ServiceName): Promise<number | null>;
  stop(): Promise<void>;
}

export interface DemoStats {
  requests: number;
  byRoute: Record<string, number>;
  byOrder: Record<string, number>;
  sideEffects: Record<string, { kind: string; requests: number }>;
  executed: { refund: number; email: number };
}

const randomKey = (label: string) => `ak_${label}_${randomBytes(18).toString('base64url')}`;

/**
 * Starts the real services as processes on the shared Redis under a key prefix of their own,
 * and removes every key of that prefix when stopped: tests never touch data they did not make.
 */
export async function startPlatform(
  options: {
    env?: Record<string, string>;
    routers?: number;
    redisUrl?: string;
    /** More API keys by name, e.g. a support key of tenant `*`. */
    extraKeys?: Record<string, Omit<TestKey, 'key'>>;
  } = {},
): Promise<TestPlatform> {
  const redisUrl = options.redisUrl ?? (process.env.REDIS_URL || 'redis://127.0.0.1:6379');
  // On a Redis Cluster (REDIS_URL=redis-cluster://…) the prefix is a hash tag, as in production.
  const id = `e2e-${randomBytes(5).toString('hex')}`;
  const prefix = parseRedisUrl(redisUrl).kind === 'cluster' ? `{${id}}` : id;
  const keys: Record<string, TestKey> = {
    client: { key: randomKey('client'), role: 'client', tenant: 'default' },
    otherTenant: { key: randomKey('other'), role: 'client', tenant: 'acme' },
    readonly: { key: randomKey('readonly'), role: 'client', tenant: 'readonly' },
    support: { key: randomKey('support'), role: 'support', tenant: 'default' },
    ops: { key: randomKey('ops'), role: 'ops', tenant: 'default' },
  };
  for (const [name, key] of Object.entries(options.extraKeys ?? {}))
    keys[name] = { ...key, key: randomKey(name) };
  const logs: TestPlatform['logs'] = [];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'info',
    PORT: '0',
    API_KEYS: JSON.stringify(Object.values(keys)),
    SHUTDOWN_TIMEOUT_MS: '5000',
    // A developer's own provider keys must never turn a test into calls to a paid API: the sims
    // serve unless a test points a provider at its own fake.
    ANTHROPIC_API_KEY: '',
    ANTHROPIC_BASE_URL: '',
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
    ...options.env,
  };
  const services = new Map<ServiceName, RunningService>();
  const extraRouters: RunningService[] = [];
  const onLine = (service: ServiceName, line: unknown) => {
    if (typeof line === 'object' && line !== null)
      logs.push({ service, line: line as Record<string, unknown> });
    else if (process.env.E2E_VERBOSE) console.log(`[${service}] ${String(line)}`);
  };
  const redis = createCommandConnection(redisUrl, 'e2e');
  // Tests that restart Redis expect this connection to drop for a moment.
  redis.on('error', () => undefined);

  const stop = async () => {
    await Promise.all([...services.values(), ...extraRouters].map((service) => service.stop(10_000)));
    await deleteKeys(redis, `${prefix}:`);
    redis.disconnect();
  };

  try {
    const demo = await startService({ name: 'demo-backend', env, onLine });
    services.set('demo-backend', demo);
    const demoUrl = `http://127.0.0.1:${demo.port}`;
    const serviceEnv = { ...env, DEMO_BACKEND_URL: demoUrl };
    const started = await Promise.all(
      (['api', 'router', 'tool-worker', 'budget'] as const).map((name) =>
        startService({ name, env: serviceEnv, onLine }),
      ),
    );
    for (const service of started) services.set(service.name, service);
    for (let extra = 1; extra < (options.routers ?? 1); extra++) {
      extraRouters.push(await startService({ name: 'router', env: serviceEnv, onLine }));
    }
    const apiUrl = `http://127.0.0.1:${services.get('api')?.port}`;
    const clientOf = (name: string) => new ApiClient(apiUrl, keys[name]?.key);
    return {
      prefix,
      redisUrl,
      apiUrl,
      demoUrl,
      keys,
      client: clientOf('client'),
      clientOf,
      redis,
      services,
      logs,
      demoStats: async () => (await (await fetch(`${demoUrl}/stats`)).json()) as DemoStats,
      killAndRestart: async (name: ServiceName) => {
        const running = services.get(name);
        running?.child.kill('SIGKILL');
        await running?.exited;
        services.set(
          name,
          await startService({ name, env: name === 'demo-backend' ? env : serviceEnv, onLine }),
        );
      },
      stopAndRestart: async (name: ServiceName) => {
        const code = (await services.get(name)?.stop(15_000)) ?? null;
        services.set(
          name,
          await startService({ name, env: name === 'demo-backend' ? env : serviceEnv, onLine }),
        );
        return code;
      },
      resetDemoStats: async () => {
        await fetch(`${demoUrl}/stats/reset`, { method: 'POST' });
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
