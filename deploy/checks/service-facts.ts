import { existsSync, readFileSync } from 'node:fs';
import { CommonEnv, HealthEnv } from '@agentops/core';
import { SERVICE_NAMES, type ServiceName } from '@agentops/launcher';

/** The repository root, from this file. */
export const ROOT = new URL('../../', import.meta.url);

export const repoPath = (path: string) => new URL(path, ROOT);
export const readRepoFile = (path: string) => readFileSync(repoPath(path), 'utf8');

/** What the code says about a service, for the deployment files to agree with. */
export interface ServiceFacts {
  name: ServiceName;
  /** `node services/<name>/src/main.ts`. */
  command: string[];
  /** The default of its PORT setting, for the services that serve HTTP. */
  httpPort?: number;
  /** Whether it can serve /healthz and /readyz on HEALTH_PORT (the workers). */
  healthPort: boolean;
  /** Every environment variable the process reads. */
  env: ReadonlySet<string>;
}

/**
 * Variables read outside a service's own env schema: provider settings of the model adapters
 * (router), OpenTelemetry's standard variables (read by the telemetry package), and Node's own.
 */
const SHARED_PREFIXES = ['OTEL_', 'ANTHROPIC_', 'OPENAI_', 'NODE_'];

export function serviceFacts(name: ServiceName): ServiceFacts {
  const entry = `services/${name}/src/main.ts`;
  if (!existsSync(repoPath(entry))) throw new Error(`${entry} does not exist`);
  const source = readRepoFile(entry);
  // The env schema's keys are the only upper-case object keys a main.ts declares.
  const env = new Set([...source.matchAll(/^\s+([A-Z][A-Z0-9_]+): /gm)].map((match) => match[1] ?? ''));
  if (/\bCommonEnv\b/.test(source)) for (const key of Object.keys(CommonEnv.shape)) env.add(key);
  const healthPort = /\bHealthEnv\.shape\b/.test(source) && /\bstartHealthServer\(/.test(source);
  if (healthPort) for (const key of Object.keys(HealthEnv.shape)) env.add(key);
  const port = /\bPORT: envInt\(([\d_]+)/.exec(source)?.[1];
  return {
    name,
    command: ['node', entry],
    ...(port ? { httpPort: Number(port.replaceAll('_', '')) } : {}),
    healthPort,
    env,
  };
}

export const allServiceFacts = (): ServiceFacts[] => SERVICE_NAMES.map(serviceFacts);

export function readsVariable(facts: ServiceFacts, variable: string): boolean {
  return facts.env.has(variable) || SHARED_PREFIXES.some((prefix) => variable.startsWith(prefix));
}

/** The default of a router setting, e.g. ROUTER_CONCURRENCY, as its main.ts declares it. */
export function envDefault(name: ServiceName, variable: string): number {
  const match = new RegExp(`\\b${variable}: envInt\\(([\\d_]+)`).exec(
    readRepoFile(`services/${name}/src/main.ts`),
  );
  if (!match?.[1]) throw new Error(`services/${name}/src/main.ts declares no integer ${variable}`);
  return Number(match[1].replaceAll('_', ''));
}
