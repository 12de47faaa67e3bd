import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { problems } from './problem.ts';

export const Role = z.enum(['client', 'support', 'ops']);
export type Role = z.infer<typeof Role>;

const KEY_HASH = /^sha256:[0-9a-f]{64}$/;

/**
 * One API key: the key itself, or only its SHA-256 (`keyHash: "sha256:<hex>"`), so that the
 * configuration need not hold a usable credential at all.
 */
export const ApiKeyEntry = z
  .object({
    key: z.string().min(16, 'an API key must be at least 16 characters').optional(),
    keyHash: z.string().regex(KEY_HASH, 'must be "sha256:" followed by 64 lower-case hex digits').optional(),
    role: Role,
    tenant: z.string().min(1).max(64).default('default'),
  })
  .refine((entry) => (entry.key === undefined) !== (entry.keyHash === undefined), {
    message: 'give either "key" or "keyHash", not both',
    path: ['key'],
  })
  // `*` means every tenant's escalations for support and ops; a client's sessions need one tenant.
  .refine((entry) => !(entry.role === 'client' && entry.tenant === '*'), {
    message: 'tenant "*" (every tenant) is for support and ops keys only',
    path: ['tenant'],
  });

/** `API_KEYS` is a JSON array of `{ key | keyHash, role, tenant }`. */
export const ApiKeysSetting = z.preprocess((value, context) => {
  if (typeof value !== 'string' || value.trim() === '') return [];
  try {
    return JSON.parse(value);
  } catch {
    context.addIssue({
      code: 'custom',
      message: 'must be a JSON array of { "key" or "keyHash", "role", "tenant" }',
    });
    return z.NEVER;
  }
}, z.array(ApiKeyEntry));

/** Who is calling: never the key itself, which is not kept beyond its hash. */
export interface Principal {
  role: Role;
  tenant: string;
  /** A short, stable, non-secret name of the key for logs and audit. */
  keyId: string;
}

/** The `keyHash` form of a key, for configurations that should not hold the key itself. */
export function apiKeyHash(key: string): string {
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/** ops may do everything support may (API.md); clients are a world of their own. */
const GRANTS: Record<Role, readonly Role[]> = {
  client: ['client'],
  support: ['support'],
  ops: ['support', 'ops'],
};

interface StoredKey {
  digest: Buffer;
  principal: Principal;
}

/** The registry of API keys, holding only their SHA-256 digests. */
export class ApiKeyRegistry {
  private readonly stored: StoredKey[] = [];

  constructor(entries: z.infer<typeof ApiKeyEntry>[]) {
    for (const entry of entries) {
      const hex =
        entry.keyHash?.slice('sha256:'.length) ?? apiKeyHash(entry.key ?? '').slice('sha256:'.length);
      this.stored.push({
        digest: Buffer.from(hex, 'hex'),
        principal: { role: entry.role, tenant: entry.tenant, keyId: `key_${hex.slice(0, 12)}` },
      });
    }
  }

  get size(): number {
    return this.stored.length;
  }

  /**
   * The principal of a presented key. The key is hashed first, so what is compared is a 32-byte
   * digest the caller cannot steer (finding a key whose digest shares a prefix with a stored one
   * is a preimage search), and it is compared with `timingSafeEqual` against every stored digest
   * without stopping at a match: the time taken says neither how close a guess came nor which
   * key, if any, matched. A linear scan is fine for the tens of keys a deployment holds.
   */
  identify(key: string): Principal | undefined {
    const digest = createHash('sha256').update(key).digest();
    let found: Principal | undefined;
    for (const candidate of this.stored) {
      if (timingSafeEqual(candidate.digest, digest) && !found) found = candidate.principal;
    }
    return found;
  }

  principalFromHeader(header: string | undefined): Principal | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return match?.[1] ? this.identify(match[1]) : undefined;
  }
}

/**
 * Middleware, once per request: names the caller when the `Authorization` header carries a known
 * key. It refuses nothing itself; `requireRole` does, on the routes that need a role.
 */
export function identifyCaller(registry: ApiKeyRegistry) {
  return (request: Request, response: Response, next: NextFunction) => {
    const principal = registry.principalFromHeader(request.headers.authorization);
    if (principal) response.locals.principal = principal;
    next();
  };
}

/**
 * Middleware: 401 without a known key, 403 when the key's role may not use the route. Uses the
 * caller `identifyCaller` named, and identifies it itself on an app without that middleware.
 */
export function requireRole(registry: ApiKeyRegistry, role: Role) {
  return (request: Request, response: Response, next: NextFunction) => {
    const principal =
      (response.locals.principal as Principal | undefined) ??
      registry.principalFromHeader(request.headers.authorization);
    if (!principal) throw problems.unauthorized();
    response.locals.principal = principal;
    if (!GRANTS[principal.role].includes(role)) throw problems.forbidden(principal.role);
    next();
  };
}

export function principalOf(response: Response): Principal {
  return response.locals.principal as Principal;
}
