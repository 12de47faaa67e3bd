import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '@agentops/client';
import { REPO_ROOT, type RunningService, type ServiceName, startService } from '@agentops/launcher';
import { deleteKeys } from '@agentops/testing';
import { Redis } from 'ioredis';

export interface BenchPlatformOptions {
  redisUrl: string;
  logLevel: string;
  /** Extra settings for every service, e.g. ROUTER_CONCURRENCY. */
  env?: Record<string, string>;
  /** Every log line of every service, for profiling. */
  onLine?: (service: ServiceName, line: unknown) => void;
}

export interface BenchPlatform {
  prefix: string;
  apiUrl: string;
  demoUrl: string;
  client: ApiClient;
  /** A connection of the bench's own, for counters and memory; never used by a service. */
  redis: Redis;
  /** How many router and tool-worker processes run (one of each to start with). */
  workers(): number;
  /** Starts more routers and tool workers until `count` of each run. */
  scaleTo(count: number): Promise<void>;
  /** Every running service process by name, for CPU accounting. */
  processes(): { name: ServiceName; pid: number }[];
  /** Error lines the services logged (the first few), so a broken run is not reported as fast. */
  errors: string[];
  stop(): Promise<void>;
}

/**
 * The platform as `npm start` runs it, one process per service, on the bench's Redis under a key
 * prefix of its own, with the sim at 0 ms and the demo backend local. Its contracts are the
 * repository's with one change: the order tool's rate limit (50 calls a second, a courtesy to
 * the order system) is lifted, because the bench measures the platform, not that policy; for the
 * same reason the API's limit per key is raised out of reach.
 */
export async function startBenchPlatform(options: BenchPlatformOptions): Promise<BenchPlatform> {
  const prefix = `bench-${randomBytes(5).toString('hex')}`;
  const apiKey = `ak_bench_${randomBytes(18).toString('base64url')}`;
  const contractsDir = benchContracts();
  const errors: string[] = [];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: options.logLevel,
    PORT: '0',
    API_KEYS: JSON.stringify([{ key: apiKey, role: 'client', tenant: 'default' }]),
    CONTRACTS_DIR: contractsDir,
    SIM_LATENCY_MS: '0',
    // Raised, not switched off: the limiter still runs on every request, as in production, but a
    // bench that sends thousands of requests a minute from one key is not refused.
    RATE_LIMIT_PER_KEY: '1000000000',
    SHUTDOWN_TIMEOUT_MS: '5000',
    // A developer's provider keys must never turn the bench into calls to a paid API.
    ANTHROPIC_API_KEY: '',
    ANTHROPIC_BASE_URL: '',
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
    ...options.env,
  };
  const onLine = (service: ServiceName, line: unknown) => {
    options.onLine?.(service, line);
    if (errors.length >= 20) return;
    // Error events only: a warning printed by Node on stderr does not make a run broken.
    const level = typeof line === 'object' && line !== null ? (line as { level?: unknown }).level : undefined;
    if (level === 'error' || level === 'fatal') errors.push(`[${service}] ${JSON.stringify(line)}`);
  };
  const running: RunningService[] = [];
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 2, connectionName: 'bench' });
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await Promise.all(running.map((service) => service.stop(10_000)));
    await deleteKeys(redis, `${prefix}:`);
    redis.disconnect();
    rmSync(contractsDir, { recursive: true, force: true });
  };

  try {
    const demo = await startService({ name: 'demo-backend', env, onLine });
    running.push(demo);
    const demoUrl = `http://127.0.0.1:${demo.port}`;
    const serviceEnv = { ...env, DEMO_BACKEND_URL: demoUrl };
    const start = async (name: ServiceName) => {
      const service = await startService({ name, env: serviceEnv, onLine });
      service.exited.then((code) => {
        if (!stopping) errors.push(`[${name}] exited with code ${code} during the run`);
      });
      return service;
    };
    running.push(...(await Promise.all((['api', 'router', 'tool-worker', 'budget'] as const).map(start))));
    const api = running.find((service) => service.name === 'api');
    const apiUrl = `http://127.0.0.1:${api?.port}`;
    let workers = 1;
    return {
      prefix,
      apiUrl,
      demoUrl,
      client: new ApiClient(apiUrl, apiKey),
      redis,
      workers: () => workers,
      scaleTo: async (count: number) => {
        while (workers < count) {
          running.push(...(await Promise.all([start('router'), start('tool-worker')])));
          workers++;
        }
      },
      processes: () =>
        running.flatMap((service) =>
          service.child.pid === undefined ? [] : [{ name: service.name, pid: service.child.pid }],
        ),
      errors,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A copy of contracts/ with the order tool's rate limit lifted (see startBenchPlatform). */
function benchContracts(): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentops-bench-contracts-'));
  cpSync(join(REPO_ROOT, 'contracts'), dir, { recursive: true });
  const file = join(dir, 'tools', 'get_order_status.yaml');
  const text = readFileSync(file, 'utf8');
  const lifted = text.replace(/^rate_limit:.*$/m, 'rate_limit: { max: 1000000, duration_ms: 1000 }');
  if (lifted === text)
    throw new Error('contracts/tools/get_order_status.yaml has no rate_limit line to lift');
  writeFileSync(file, lifted);
  return dir;
}
