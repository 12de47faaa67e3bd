export {
  API_KEY_ROLES,
  type ApiKeyEntry,
  type ApiKeyRole,
  DEV_KEYS_FILE,
  DEV_TENANT,
  type DevKeys,
  ensureDevKeys,
  newKey,
  parseApiKeys,
} from './dev-keys.ts';
export {
  freePort,
  ping,
  type ResolvedRedis,
  type ResolveRedisOptions,
  redactUrl,
  resolveRedis,
} from './redis-resolution.ts';
export {
  REPO_ROOT,
  type RunningService,
  SERVICE_NAMES,
  type ServiceLogLine,
  type ServiceName,
  type ServiceProcessOptions,
  startService,
} from './service-process.ts';
