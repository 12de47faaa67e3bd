import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const API_KEY_ROLES = ['client', 'support', 'ops'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** One entry of the api service's API_KEYS setting. */
export interface ApiKeyEntry {
  key: string;
  role: ApiKeyRole;
  tenant: string;
}

export interface DevKeys {
  /** The value to give the api service as API_KEYS. */
  apiKeys: string;
  /** The keys, for printing; empty when API_KEYS came from the env and could not be read. */
  keys: ApiKeyEntry[];
  /** `env`: API_KEYS was set; `created`/`reused`: the keys in `file`. */
  source: 'env' | 'created' | 'reused';
  file?: string;
}

export const DEV_KEYS_FILE = 'dev-keys.json';
export const DEV_TENANT = 'default';

/**
 * API keys for local runs. An API_KEYS in the env wins and is passed on untouched. Otherwise
 * there is one random key per role for the `default` tenant, kept in `<dataDir>/dev-keys.json`
 * (mode 0600) so that a restart keeps the keys a developer has already pasted somewhere. The
 * file holds exactly an API_KEYS value: `API_KEYS="$(cat .data/dev-keys.json)"` works.
 */
export function ensureDevKeys(options: { env: NodeJS.ProcessEnv; dataDir: string }): DevKeys {
  const { env, dataDir } = options;
  const fromEnv = env.API_KEYS?.trim();
  if (fromEnv) return { apiKeys: fromEnv, keys: parseApiKeys(fromEnv) ?? [], source: 'env' };

  const file = join(dataDir, DEV_KEYS_FILE);
  const existing = readKeysFile(file);
  if (existing) {
    try {
      chmodSync(file, 0o600);
    } catch {
      // Best effort: a file we can read but not chmod (another owner) still works.
    }
    return { apiKeys: JSON.stringify(existing), keys: existing, source: 'reused', file };
  }

  const keys = API_KEY_ROLES.map((role) => ({ key: newKey(role), role, tenant: DEV_TENANT }));
  mkdirSync(dataDir, { recursive: true });
  // Write then rename, so that a crash never leaves half a file that would be replaced by new keys.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
  return { apiKeys: JSON.stringify(keys), keys, source: 'created', file };
}

/** `ak_<role>_<24 random bytes, base64url>`: the prefix tells a reader what a leaked key opens. */
export function newKey(role: ApiKeyRole): string {
  return `ak_${role}_${randomBytes(24).toString('base64url')}`;
}

function readKeysFile(file: string): ApiKeyEntry[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const keys = parseApiKeys(text);
  // Reuse only a complete set: one key per role, as this module writes it.
  if (!keys || !API_KEY_ROLES.every((role) => keys.some((entry) => entry.role === role))) return undefined;
  return keys;
}

/** API_KEYS parsed as far as printing needs; undefined when it is not a list of key entries. */
export function parseApiKeys(text: string): ApiKeyEntry[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const entries: ApiKeyEntry[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { key, role, tenant } = item as Record<string, unknown>;
    if (typeof key !== 'string' || key.length < 16) return undefined;
    if (!API_KEY_ROLES.includes(role as ApiKeyRole)) return undefined;
    // The api reads a missing tenant as `default`.
    if (tenant !== undefined && (typeof tenant !== 'string' || tenant === '')) return undefined;
    entries.push({ key, role: role as ApiKeyRole, tenant: typeof tenant === 'string' ? tenant : DEV_TENANT });
  }
  return entries;
}
