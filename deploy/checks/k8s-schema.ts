import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { K8sObject } from './kustomize.ts';
import { repoPath } from './service-facts.ts';

/**
 * Where the model of an apiVersion lives: `kubernetes-models` (the Kubernetes OpenAPI schemas,
 * compiled to validators) and `@kubernetes-models/keda` (KEDA's CRDs).
 */
function modelPath(apiVersion: string, kind: string): string {
  if (apiVersion.startsWith('keda.sh/')) return `@kubernetes-models/keda/${apiVersion}/${kind}`;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/** Validates an object against its kind's schema: types, required fields, enums, formats. */
export async function validateAgainstSchema(object: K8sObject): Promise<string | undefined> {
  const path = modelPath(object.apiVersion, object.kind);
  let module: Record<string, new (data: unknown) => { validate(): void }>;
  try {
    module = await import(path);
  } catch {
    return `no schema for ${object.apiVersion} ${object.kind}`;
  }
  const Model = module[object.kind];
  if (!Model) return `no model ${object.kind} in ${path}`;
  try {
    new Model(object).validate();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

type TypeRef = { kind: 'interface'; file: string } | { kind: 'array'; of: TypeRef } | { kind: 'leaf' };
const interfaces = new Map<string, Map<string, TypeRef>>();

/**
 * Fields the schema does not know (a misspelled `readinessProbes` passes a schema that allows
 * extra fields, and the API server drops or refuses it). The field lists come from the models'
 * type declarations, which are generated from the same OpenAPI schemas.
 */
export function unknownFields(object: K8sObject): string[] {
  const entry = declarationFile(`node_modules/${modelPath(object.apiVersion, object.kind)}.d.ts`);
  return walk(object, { kind: 'interface', file: entry }, object.kind);
}

function walk(value: unknown, type: TypeRef, path: string): string[] {
  if (type.kind === 'leaf' || value === null || typeof value !== 'object') return [];
  if (type.kind === 'array') {
    return Array.isArray(value)
      ? value.flatMap((item, index) => walk(item, type.of, `${path}[${index}]`))
      : [];
  }
  const properties = interfaceProperties(type.file);
  return Object.entries(value).flatMap(([key, child]) => {
    const property = properties.get(key);
    return property ? walk(child, property, `${path}.${key}`) : [`${path}.${key}`];
  });
}

/** The properties of the one interface a generated declaration file exports, with their types. */
function interfaceProperties(file: string): Map<string, TypeRef> {
  const cached = interfaces.get(file);
  if (cached) return cached;
  const source = readFileSync(file, 'utf8');
  const imports = new Map(
    [...source.matchAll(/^import \{ (\w+) \} from "([^"]+)";$/gm)].map(([, name = '', from = '']) => [
      name,
      resolveImport(file, from),
    ]),
  );
  const body = /^export interface \w+(?: extends [\w, ]+)? \{\n([\s\S]*?)^\}/m.exec(source)?.[1] ?? '';
  const properties = new Map<string, TypeRef>();
  let depth = 0;
  // Doc comments may hold braces of their own; only code lines count.
  for (const line of body.split('\n').filter((text) => !/^\s*(\/\*\*|\*)/.test(text))) {
    if (depth === 0) {
      const match = /^ {4}"([^"]+)"\??: (.*?);?$/.exec(line);
      if (match?.[1]) properties.set(match[1], typeOf(match[2] ?? '', imports));
    }
    depth += (line.match(/\{/g)?.length ?? 0) - (line.match(/\}/g)?.length ?? 0);
  }
  interfaces.set(file, properties);
  return properties;
}

function typeOf(expression: string, imports: Map<string, string>): TypeRef {
  const array = /^Array<(\w+)>$/.exec(expression);
  if (array?.[1]) return { kind: 'array', of: typeOf(array[1], imports) };
  const file = imports.get(expression);
  if (file && /^export interface /m.test(readFileSync(file, 'utf8'))) return { kind: 'interface', file };
  // Strings, numbers, unions, maps (`{ [key: string]: … }`) and aliases such as IntOrString.
  return { kind: 'leaf' };
}

function resolveImport(file: string, from: string): string {
  const target = from.startsWith('.') ? join(dirname(file), from) : declarationFile(`node_modules/${from}`);
  return target.replace(/\.js$/, '').replace(/(\.d\.ts)?$/, '.d.ts');
}

/** A file under node_modules, hoisted to the root or kept in this workspace's own. */
function declarationFile(path: string): string {
  for (const base of ['deploy/', '']) {
    const file = fileURLToPath(repoPath(`${base}${path}`));
    if (existsSync(file.replace(/(\.d\.ts)?$/, '.d.ts'))) return file.replace(/(\.d\.ts)?$/, '.d.ts');
  }
  throw new Error(`cannot find ${path}`);
}
