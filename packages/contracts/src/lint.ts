import { findKeyLikeSecrets, needsConfirmation, ToolContract } from '@agentops/core';
import type { z } from 'zod';
import { readYamlFile, yamlFilesIn } from './contract-set.ts';
import { compileInputSchema } from './input-validation.ts';
import { AgentProfile, ModelsFile, ScopesFile, TenantsFile } from './schemas.ts';

export interface LintProblem {
  file: string;
  field: string;
  message: string;
}

export const MAX_TIMEOUT_SECONDS = 30;

/** Fields a contract may ask each call's log line to carry; `args.<name>` picks an argument. */
export const KNOWN_LOG_FIELDS = [
  'tool.name',
  'tool.status',
  'tool.error_type',
  'retry_safe',
  'latency_ms',
  'attempt',
  'session_id',
  'turn_id',
  'call_id',
  'tenant',
  'http_status',
  'cache_hit',
  'confirmation_id',
] as const;

type Raw = Record<string, unknown>;

/**
 * Checks every file under contracts/ against the rules a reviewer would otherwise have to
 * remember: each problem names its file and field. `implementedTools` are the tools the tool
 * worker can run; a tool and its contract must come in pairs.
 */
export function lintContracts(dir: URL, implementedTools: readonly string[]): LintProblem[] {
  const problems: LintProblem[] = [];
  const scopes = lintScopes(dir, problems);
  const contractNames = new Set<string>();

  for (const fileName of yamlFilesIn(new URL('tools/', dir))) {
    const file = `contracts/tools/${fileName}`;
    const raw = readRaw(new URL(`tools/${fileName}`, dir), file, problems);
    if (!raw) continue;
    if (typeof raw.name === 'string') contractNames.add(raw.name);
    lintToolContract(raw, file, fileName, scopes, problems);
  }

  for (const tool of implementedTools) {
    if (!contractNames.has(tool)) {
      problems.push({
        file: `contracts/tools/${tool}.yaml`,
        field: '(file)',
        message: `tool "${tool}" has no contract`,
      });
    }
  }
  for (const name of contractNames) {
    if (!implementedTools.includes(name)) {
      problems.push({
        file: `contracts/tools/${name}.yaml`,
        field: 'name',
        message: `no tool implements "${name}"`,
      });
    }
  }

  lintAgents(dir, contractNames, scopes, problems);
  lintSchemaFile(dir, 'tenants.yaml', TenantsFile, problems, (tenants) => {
    for (const [tenant, config] of Object.entries(tenants.tenants)) {
      config.scopes.forEach((scope, index) => {
        if (!scopes.has(scope)) {
          problems.push({
            file: 'contracts/tenants.yaml',
            field: `tenants.${tenant}.scopes[${index}]`,
            message: `scope "${scope}" is not declared in contracts/scopes.yaml`,
          });
        }
      });
    }
  });
  lintSchemaFile(dir, 'models.yaml', ModelsFile, problems);
  return problems;
}

function lintToolContract(
  raw: Raw,
  file: string,
  fileName: string,
  scopes: Set<string>,
  problems: LintProblem[],
) {
  const reported = new Set<string>();
  const report = (field: string, message: string) => {
    reported.add(field.split(/[.[]/)[0] ?? field);
    problems.push({ file, field, message });
  };

  if (typeof raw.name === 'string' && fileName.replace(/\.ya?ml$/, '') !== raw.name) {
    report('name', `"${raw.name}" does not match the file name ${fileName}`);
  }
  if (raw.timeout_seconds === undefined) {
    report('timeout_seconds', 'missing: every tool call needs a hard timeout');
  } else if (typeof raw.timeout_seconds === 'number' && raw.timeout_seconds > MAX_TIMEOUT_SECONDS) {
    report('timeout_seconds', `${raw.timeout_seconds} s is above the ${MAX_TIMEOUT_SECONDS} s ceiling`);
  }
  if (raw.max_calls_per_session === undefined) {
    report('max_calls_per_session', 'missing: every tool needs a cap on calls per session');
  }
  const sideEffects = raw.side_effects;
  const confirmation = raw.confirmation as Raw | undefined;
  if (
    typeof sideEffects === 'string' &&
    ToolContract.shape.side_effects.safeParse(sideEffects).success &&
    needsConfirmation(sideEffects as 'write') &&
    confirmation?.required !== true
  ) {
    report(
      'confirmation.required',
      `side_effects "${sideEffects}" must be gated by confirmation (required: true)`,
    );
  }
  if (retries(raw.retry_policy) && raw.idempotent !== true) {
    report('retry_policy', 'retries a non-idempotent tool: a retry could repeat its effect');
  }
  if (raw.auth_scope === undefined) {
    report('auth_scope', 'missing: every tool needs an auth scope');
  } else if (typeof raw.auth_scope === 'string' && !scopes.has(raw.auth_scope)) {
    report('auth_scope', `scope "${raw.auth_scope}" is not declared in contracts/scopes.yaml`);
  }
  if (Array.isArray(raw.logs)) {
    const argNames = Object.keys(
      ((raw.input_schema as Raw | undefined)?.properties as Raw | undefined) ?? {},
    );
    raw.logs.forEach((field, index) => {
      if (!isKnownLogField(field, argNames)) report(`logs[${index}]`, `unknown log field "${String(field)}"`);
    });
  }
  if (raw.input_schema && typeof raw.input_schema === 'object') {
    try {
      compileInputSchema(raw.input_schema as Raw);
    } catch (error) {
      report('input_schema', `not a valid JSON Schema: ${(error as Error).message}`);
    }
  }

  const parsed = ToolContract.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.map(String).join('.') || '(file)';
      if (reported.has(String(issue.path[0]))) continue;
      problems.push({ file, field, message: issue.message });
    }
  }
}

function retries(policy: unknown): boolean {
  if (policy === undefined || policy === 'none') return false;
  if (typeof policy !== 'object' || policy === null) return false;
  const { strategy, max_attempts: maxAttempts } = policy as Raw;
  return strategy !== 'none' && typeof maxAttempts === 'number' && maxAttempts > 1;
}

function isKnownLogField(field: unknown, argNames: string[]): boolean {
  if (typeof field !== 'string') return false;
  if ((KNOWN_LOG_FIELDS as readonly string[]).includes(field)) return true;
  return field.startsWith('args.') && argNames.includes(field.slice('args.'.length));
}

function lintScopes(dir: URL, problems: LintProblem[]): Set<string> {
  let declared = new Set<string>();
  lintSchemaFile(dir, 'scopes.yaml', ScopesFile, problems, (file) => {
    declared = new Set(Object.keys(file.scopes));
  });
  return declared;
}

function lintAgents(dir: URL, tools: Set<string>, scopes: Set<string>, problems: LintProblem[]) {
  for (const fileName of yamlFilesIn(new URL('agents/', dir))) {
    const file = `contracts/agents/${fileName}`;
    const raw = readRaw(new URL(`agents/${fileName}`, dir), file, problems);
    if (!raw) continue;
    lintPromptSecrets(raw, file, problems);
    const parsed = AgentProfile.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({ file, field: issue.path.map(String).join('.') || '(file)', message: issue.message });
      }
      continue;
    }
    parsed.data.tools.forEach((tool, index) => {
      if (!tools.has(tool))
        problems.push({ file, field: `tools[${index}]`, message: `no contract for tool "${tool}"` });
    });
    parsed.data.scopes.forEach((scope, index) => {
      if (!scopes.has(scope)) {
        problems.push({
          file,
          field: `scopes[${index}]`,
          message: `scope "${scope}" is not declared in contracts/scopes.yaml`,
        });
      }
    });
  }
}

/**
 * A system prompt is sent to a model provider on every call and is one extraction away from a
 * user (OWASP LLM07): a credential in it is a credential published. Checked before the schema,
 * so that a malformed profile is still searched.
 */
function lintPromptSecrets(raw: Raw, file: string, problems: LintProblem[]) {
  for (const field of ['system_prompt', 'description'] as const) {
    const text = raw[field];
    if (typeof text !== 'string') continue;
    for (const finding of findKeyLikeSecrets(text)) {
      problems.push({
        file,
        field,
        message: `holds what looks like ${finding.name} (${finding.preview}): prompts reach the model and can be extracted; keep secrets in the tools' configuration`,
      });
    }
  }
}

function lintSchemaFile<Schema extends z.ZodType>(
  dir: URL,
  name: string,
  schema: Schema,
  problems: LintProblem[],
  then?: (parsed: z.infer<Schema>) => void,
) {
  const file = `contracts/${name}`;
  const raw = readRaw(new URL(name, dir), file, problems);
  if (raw === undefined) return;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({ file, field: issue.path.map(String).join('.') || '(file)', message: issue.message });
    }
    return;
  }
  then?.(parsed.data);
}

function readRaw(url: URL, file: string, problems: LintProblem[]): Raw | undefined {
  let raw: unknown;
  try {
    raw = readYamlFile(url);
  } catch (error) {
    const message =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'file is missing'
        : `not valid YAML: ${(error as Error).message.split('\n')[0]}`;
    problems.push({ file, field: '(file)', message });
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push({ file, field: '(file)', message: 'must be a YAML mapping' });
    return undefined;
  }
  return raw as Raw;
}

export function formatProblems(problems: LintProblem[]): string {
  return problems.map((p) => `${p.file}: ${p.field}: ${p.message}`).join('\n');
}
