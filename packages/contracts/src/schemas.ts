import { InjectionPolicy, ModelSpec, ToolContract } from '@agentops/core';
import { z } from 'zod';

export const ScopesFile = z
  .object({ scopes: z.record(z.string().regex(/^[a-z_]+:[a-z_]+$/, 'resource:action'), z.string()) })
  .strict();

export const TenantsFile = z
  .object({
    tenants: z.record(z.string(), z.object({ scopes: z.array(z.string()) }).strict()),
  })
  .strict();

/**
 * An agent profile: what the model is told, which tools it is offered, which scopes it holds, and
 * what happens to a tool output that tries to instruct it (`injection_policy`, default `strip`).
 */
export const AgentProfile = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/),
    description: z.string().min(1),
    system_prompt: z.string().min(1),
    tools: z.array(z.string()),
    scopes: z.array(z.string()),
    injection_policy: InjectionPolicy.default('strip'),
  })
  .strict();
export type AgentProfile = z.infer<typeof AgentProfile>;

export const ModelsFile = z.object({ models: z.array(ModelSpec).min(1) }).strict();

export { ToolContract };
