import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CommonEnv, envBool, envInt, envString, envUrl, loadEnv } from './config.ts';
import { ConfigError } from './errors.ts';

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadEnv', () => {
  it('applies every default when nothing is set', () => {
    expect(loadEnv(CommonEnv, {})).toEqual({
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: 'agentops',
      LOG_LEVEL: 'info',
      SESSION_TTL_SECONDS: 7 * 24 * 3600,
      SHUTDOWN_TIMEOUT_MS: 10_000,
    });
  });

  it('treats empty strings as unset, so `VAR=` in a .env file keeps the default', () => {
    const env = loadEnv(CommonEnv, {
      REDIS_URL: '',
      REDIS_PREFIX: '',
      LOG_LEVEL: '',
      SESSION_TTL_SECONDS: '',
      SHUTDOWN_TIMEOUT_MS: '',
    });
    expect(env).toEqual(loadEnv(CommonEnv, {}));
  });

  it('parses given values, numbers included', () => {
    const env = loadEnv(CommonEnv, {
      REDIS_PREFIX: '{tenant-a}',
      LOG_LEVEL: 'debug',
      SESSION_TTL_SECONDS: '3600',
    });
    expect(env.REDIS_PREFIX).toBe('{tenant-a}');
    expect(env.LOG_LEVEL).toBe('debug');
    expect(env.SESSION_TTL_SECONDS).toBe(3600);
  });

  it('stops with a ConfigError that names the bad variable', () => {
    const error = configErrorOf(() => loadEnv(CommonEnv, { REDIS_PREFIX: 'has space' }));
    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain('REDIS_PREFIX');
    expect(error.message).toContain('letters, digits');
    expect(error.message).not.toContain('SESSION_TTL_SECONDS');
  });

  it('names every bad variable at once', () => {
    const error = configErrorOf(() =>
      loadEnv(CommonEnv, { SESSION_TTL_SECONDS: '10', LOG_LEVEL: 'loud', SHUTDOWN_TIMEOUT_MS: 'soon' }),
    );
    expect(error.message).toContain('SESSION_TTL_SECONDS');
    expect(error.message).toContain('LOG_LEVEL');
    expect(error.message).toContain('SHUTDOWN_TIMEOUT_MS');
  });

  it('asks for a hash-tagged prefix on a Redis Cluster, so every key of a turn shares a slot', () => {
    const cluster = { REDIS_URL: 'redis-cluster://10.0.0.1:7000,10.0.0.2:7000' };
    const error = configErrorOf(() => loadEnv(CommonEnv, cluster));
    expect(error.message).toContain('REDIS_PREFIX');
    expect(error.message).toContain('{agentops}');
    expect(loadEnv(CommonEnv, { ...cluster, REDIS_PREFIX: '{agentops}' }).REDIS_PREFIX).toBe('{agentops}');
    // One server hashes nothing: any prefix is fine there.
    expect(loadEnv(CommonEnv, { REDIS_PREFIX: 'agentops' }).REDIS_PREFIX).toBe('agentops');
  });

  it('checks the pair in any schema that holds both, such as one picked from CommonEnv', () => {
    const picked = CommonEnv.pick({ REDIS_URL: true, REDIS_PREFIX: true });
    const cluster = { REDIS_URL: 'redis-cluster://10.0.0.1:7000' };
    expect(configErrorOf(() => loadEnv(picked, cluster)).message).toContain('REDIS_PREFIX');
    expect(loadEnv(picked, { ...cluster, REDIS_PREFIX: '{p}' })).toEqual({ ...cluster, REDIS_PREFIX: '{p}' });
  });

  it('names REDIS_URL when a cluster node is not host:port', () => {
    const error = configErrorOf(() =>
      loadEnv(CommonEnv, { REDIS_URL: 'redis-cluster://a:1,b:x', REDIS_PREFIX: '{p}' }),
    );
    expect(error.message).toContain('REDIS_URL');
  });

  it('rejects a fractional integer setting', () => {
    expect(configErrorOf(() => loadEnv(CommonEnv, { SHUTDOWN_TIMEOUT_MS: '1500.5' })).message).toContain(
      'SHUTDOWN_TIMEOUT_MS',
    );
  });
});

describe('env helpers', () => {
  const Schema = z.object({
    PORT: envInt(8080, { min: 0, max: 65_535 }),
    NAME: envString('agentops'),
    FLAG: envBool(false),
    URL: envUrl('http://127.0.0.1:8081'),
  });

  it('defaults each kind of setting on an empty string', () => {
    expect(loadEnv(Schema, { PORT: '', NAME: '', FLAG: '', URL: '' })).toEqual({
      PORT: 8080,
      NAME: 'agentops',
      FLAG: false,
      URL: 'http://127.0.0.1:8081',
    });
  });

  it('reads true/false and 1/0 as booleans', () => {
    expect(loadEnv(Schema, { FLAG: 'true' }).FLAG).toBe(true);
    expect(loadEnv(Schema, { FLAG: '1' }).FLAG).toBe(true);
    expect(loadEnv(Schema, { FLAG: '0' }).FLAG).toBe(false);
    expect(configErrorOf(() => loadEnv(Schema, { FLAG: 'yes' })).message).toContain('FLAG');
  });

  it('enforces integer bounds', () => {
    expect(loadEnv(Schema, { PORT: '0' }).PORT).toBe(0);
    expect(configErrorOf(() => loadEnv(Schema, { PORT: '70000' })).message).toContain('PORT');
  });

  it('explains a bad URL with an example', () => {
    const error = configErrorOf(() => loadEnv(Schema, { URL: 'not a url' }));
    expect(error.message).toContain('URL');
    expect(error.message).toContain('must be a URL such as http://127.0.0.1:8081');
  });
});
