import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv } from './config.ts';
import { HealthEnv, type HealthServer, startHealthServer } from './health-server.ts';

const logged: { message: string; object: Record<string, unknown> }[] = [];
const logger = {
  info: (object: object, message: string) =>
    logged.push({ message, object: object as Record<string, unknown> }),
  error: (object: object, message: string) =>
    logged.push({ message, object: object as Record<string, unknown> }),
};

let server: HealthServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  logged.length = 0;
});

async function listening(): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const line = logged.find((entry) => entry.message === 'health endpoint listening');
    if (line) return `http://127.0.0.1:${String(line.object.healthPort)}`;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the health endpoint did not listen');
}

describe('the health endpoint of a worker process', () => {
  it('is off unless HEALTH_PORT is set, also when it is blank', () => {
    expect(startHealthServer(loadEnv(HealthEnv, {}), logger, {})).toBeUndefined();
    expect(startHealthServer(loadEnv(HealthEnv, { HEALTH_PORT: ' ' }), logger, {})).toBeUndefined();
  });

  it('answers liveness whatever the checks say, and readiness only when all hold', async () => {
    let redisUp = false;
    server = startHealthServer(loadEnv(HealthEnv, { HEALTH_PORT: '0' }), logger, {
      redis: () => redisUp,
      worker: () => true,
    });
    const base = await listening();

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: 'not_ready', checks: { redis: false, worker: true } });

    redisUp = true;
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { redis: true, worker: true } });
  });

  it('counts a check that throws as failing, and answers 404 elsewhere', async () => {
    server = startHealthServer(loadEnv(HealthEnv, { HEALTH_PORT: '0' }), logger, {
      worker: () => {
        throw new Error('closed');
      },
    });
    const base = await listening();
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
  });

  it('refuses a port out of range, naming HEALTH_PORT', () => {
    expect(() => loadEnv(HealthEnv, { HEALTH_PORT: '70000' })).toThrow(/HEALTH_PORT/);
  });
});
