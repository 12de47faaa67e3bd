import { readdirSync, readFileSync } from 'node:fs';
import { ConfigError, type ModelSpec, type ToolContract as ToolContractType } from '@agentops/core';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { AgentProfile, ModelsFile, ScopesFile, TenantsFile, ToolContract } from './schemas.ts';

/** Everything under contracts/, parsed once per process. */
export interface ContractSet {
  dir: URL;
  tools: Map<string, ToolContractType>;
  agents: Map<string, AgentProfile>;
  scopes: Map<string, string>;
  tenantScopes: Map<string, string[]>;
  models: ModelSpec[];
}

export const DEFAULT_CONTRACTS_DIR = new URL('../../../contracts/', import.meta.url);

/** A contract file that does not parse; the message names the file and the field. */
export class ContractError extends ConfigError {}

export function contractsDir(override: string | undefined): URL {
  if (!override) return DEFAULT_CONTRACTS_DIR;
  const withSlash = override.endsWith('/') ? override : `${override}/`;
  return new URL(withSlash, `file://${process.cwd()}/`);
}

export function readYamlFile(file: URL): unknown {
  return parseYaml(readFileSync(file, 'utf8'));
}

export function yamlFilesIn(dir: URL): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
      .sort();
  } catch {
    return [];
  }
}

function parseFile<Schema extends z.ZodType>(schema: Schema, file: URL, label: string): z.infer<Schema> {
  let raw: unknown;
  try {
    raw = readYamlFile(file);
  } catch (error) {
    throw new ContractError(`${label}: not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  throw new ContractError(`${label}: ${first?.path.join('.') || '(file)'}: ${first?.message}`);
}

export function loadContracts(dir: URL = DEFAULT_CONTRACTS_DIR): ContractSet {
  const tools = new Map<string, ToolContractType>();
  for (const file of yamlFilesIn(new URL('tools/', dir))) {
    const contract = parseFile(ToolContract, new URL(`tools/${file}`, dir), `contracts/tools/${file}`);
    tools.set(contract.name, contract);
  }
  const agents = new Map<string, AgentProfile>();
  for (const file of yamlFilesIn(new URL('agents/', dir))) {
    const profile = parseFile(AgentProfile, new URL(`agents/${file}`, dir), `contracts/agents/${file}`);
    agents.set(profile.name, profile);
  }
  const scopes = new Map(
    Object.entries(parseFile(ScopesFile, new URL('scopes.yaml', dir), 'contracts/scopes.yaml').scopes),
  );
  const tenants = parseFile(TenantsFile, new URL('tenants.yaml', dir), 'contracts/tenants.yaml').tenants;
  const tenantScopes = new Map(Object.entries(tenants).map(([name, tenant]) => [name, tenant.scopes]));
  const models = parseFile(ModelsFile, new URL('models.yaml', dir), 'contracts/models.yaml').models;
  return { dir, tools, agents, scopes, tenantScopes, models };
}

/**
 * The scopes a session holds: those of its tenant (or `default`) that its agent profile also
 * holds. Least privilege: an agent never gains a scope its tenant lacks, nor the reverse.
 */
export function sessionScopes(contracts: ContractSet, tenant: string, agent: string): Set<string> {
  const tenantScopes = contracts.tenantScopes.get(tenant) ?? contracts.tenantScopes.get('default') ?? [];
  const profile = contracts.agents.get(agent);
  if (!profile) return new Set();
  return new Set(tenantScopes.filter((scope) => profile.scopes.includes(scope)));
}

/**
 * The summary a person confirms, with `{field}` replaced by the call's real arguments, so the
 * user sees the recipient and the amount the tool will use, not the model's description of them.
 */
export function renderConfirmationSummary(template: string, args: Record<string, unknown>): string {
  return template.replace(/\{([a-zA-Z0-9_]+)\}/g, (_, field: string) => {
    const value = args[field];
    if (value === undefined) return '(not given)';
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  });
}
