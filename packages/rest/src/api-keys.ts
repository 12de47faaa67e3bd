import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { problems } from './problem.ts';

export const Role = z.enum(['client', 'support', 'ops']);
export type Role = z.infer<typeof Role>;

export const ApiKeyEntry = z
  .object({
    key: z.string().min(16, 'an API key must be at least 16 characters'),
    role: Role,
    tenant: z.string().min(1).max(64).default('default'),
  })
  // `*` means every tenant's escalations for support and ops; a client's sessions need one tenant.
  .refine((entry) => !(entry.role === 'client' && entry.tenant === '*'), {
    message: 'tenant "*" (every tenant) is for support and ops keys only',
    path: ['tenant'],
  });

/** `API_KEYS` is a JSON array of `{ key, role, tenant }`. */
export const ApiKeysSetting = z.preprocess((value, context) => {
  if (typeof value !== 'string' || value.trim() === '') return [];
  try {
    return JSON.parse(value);
  } catch {
    context.addIssue({ code: 'custom', message: 'must be a JSON array of { "key", "role", "tenant" }' });
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

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** ops may do everything support may (API.md); clients are a world of their own. */
const GRANTS: Record<Role, readonly Role[]> = {
  client: ['client'],
  support: ['support'],
  ops: ['support', 'ops'],
};

export class ApiKeyRegistry {
  private readonly byHash = new Map<string, Principal>();

  constructor(entries: z.infer<typeof ApiKeyEntry>[]) {
    for (const entry of entries) {
      const hash = hashKey(entry.key);
      this.byHash.set(hash, { role: entry.role, tenant: entry.tenant, keyId: `key_${hash.slice(0, 12)}` });
    }
  }

  get size(): number {
    return this.byHash.size;
  }

  /** Looks a key up by its hash, so the comparison time says nothing about the key. */
  identify(key: string): Principal | undefined {
    return this.byHash.get(hashKey(key));
  }

  principalFromHeader(header: string | undefined): Principal | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return match?.[1] ? this.identify(match[1]) : undefined;
  }
}

/** Middleware: 401 without a known key, 403 when the key's role may not use the route. */
export function requireRole(registry: ApiKeyRegistry, role: Role) {
  return (request: Request, response: Response, next: NextFunction) => {
    const principal = registry.principalFromHeader(request.headers.authorization);
    if (!principal) throw problems.unauthorized();
    if (!GRANTS[principal.role].includes(role)) throw problems.forbidden(principal.role);
    response.locals.principal = principal;
    next();
  };
}

export function principalOf(response: Response): Principal {
  return response.locals.principal as Principal;
}
