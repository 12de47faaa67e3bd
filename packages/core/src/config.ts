import { z } from 'zod';
import { ConfigError } from './errors.ts';
import { hashTagOf } from './keys.ts';
import { parseRedisUrl } from './redis.ts';

/**
 * Parses environment variables with a zod schema. A bad value stops the process at start with
 * a message that names each variable, instead of failing later in the middle of a turn.
 */
export function loadEnv<Schema extends z.ZodType>(
  schema: Schema,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<Schema> {
  const parsed = schema.safeParse(env);
  const problems = parsed.success
    ? redisSettingProblems(parsed.data)
    : parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  return parsed.data as z.infer<Schema>;
}

/**
 * REDIS_URL and REDIS_PREFIX checked together, for every schema that holds them (a refinement on
 * CommonEnv would forbid `.pick()` and `.omit()` on it). On a Redis Cluster the prefix must be a
 * hash tag: without one the keys of a turn land in different slots, and the first Lua script or
 * BullMQ flow that touches two of them fails with CROSSSLOT in the middle of a turn.
 */
function redisSettingProblems(settings: unknown): string[] {
  if (typeof settings !== 'object' || settings === null || !('REDIS_URL' in settings)) return [];
  let clustered: boolean;
  try {
    clustered = parseRedisUrl(String(settings.REDIS_URL)).kind === 'cluster';
  } catch (error) {
    return [`  REDIS_URL: ${(error as Error).message}`];
  }
  if (!clustered || !('REDIS_PREFIX' in settings)) return [];
  const prefix = String(settings.REDIS_PREFIX);
  if (hashTagOf(prefix) !== undefined) return [];
  return [
    `  REDIS_PREFIX: must hold a hash tag on a Redis Cluster, such as {${prefix.replace(/[{}]/g, '') || 'agentops'}}`,
  ];
}

/** An integer env var with a default; empty strings count as unset. */
export function envInt(defaultValue: number, bounds: { min?: number; max?: number } = {}) {
  let schema = z.coerce.number().int();
  if (bounds.min !== undefined) schema = schema.min(bounds.min);
  if (bounds.max !== undefined) schema = schema.max(bounds.max);
  return z.preprocess((value) => (isUnset(value) ? defaultValue : value), schema);
}

/** An integer env var that may stay unset (undefined); empty strings count as unset. */
export function envOptionalInt(bounds: { min?: number; max?: number } = {}) {
  let schema = z.coerce.number().int();
  if (bounds.min !== undefined) schema = schema.min(bounds.min);
  if (bounds.max !== undefined) schema = schema.max(bounds.max);
  return z.preprocess((value) => (isUnset(value) ? undefined : value), schema.optional());
}

/** Empty or blank counts as unset, so `PORT=" "` means the default, not port 0. */
function isUnset(value: unknown): boolean {
  return value === undefined || (typeof value === 'string' && value.trim() === '');
}

export const envString = (defaultValue: string) =>
  z.preprocess((value) => (isUnset(value) ? defaultValue : value), z.string().min(1));

export const envBool = (defaultValue: boolean) =>
  z.preprocess(
    (value) => (isUnset(value) ? String(defaultValue) : value),
    z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
  );

/** Settings every process shares. */
export const CommonEnv = z.object({
  REDIS_URL: envString('redis://127.0.0.1:6379'),
  REDIS_PREFIX: envString('agentops').pipe(
    z.string().regex(/^[A-Za-z0-9_{}.-]+$/, 'letters, digits, _ . - { } only'),
  ),
  LOG_LEVEL: envString('info').pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  SESSION_TTL_SECONDS: envInt(7 * 24 * 3600, { min: 60 }),
  SHUTDOWN_TIMEOUT_MS: envInt(10_000, { min: 100 }),
});
export type CommonEnv = z.infer<typeof CommonEnv>;

export const envUrl = (defaultValue: string) =>
  z.preprocess(
    (value) => (isUnset(value) ? defaultValue : value),
    z.url({ message: `must be a URL such as ${defaultValue}` }),
  );
