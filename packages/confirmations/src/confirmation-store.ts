import { createHash } from 'node:crypto';
import {
  defineLuaCommand,
  type LuaCommand,
  type RedisConnection,
  type RedisKeys,
  readLuaScript,
  redisKeys,
  ToolResult,
} from '@agentops/core';
import { z } from 'zod';

const COMMANDS_DIR = new URL('./commands/', import.meta.url);

export const ConfirmationStatus = z.enum(['pending', 'approved', 'declined', 'expired', 'superseded']);
export type ConfirmationStatus = z.infer<typeof ConfirmationStatus>;

export const ConfirmationRecord = z.object({
  confirmationId: z.string(),
  sessionId: z.string(),
  turnId: z.string(),
  callId: z.string(),
  tool: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  argsHash: z.string(),
  summary: z.string(),
  status: ConfirmationStatus,
  createdAt: z.string(),
  expiresAtMs: z.number(),
  decidedAtMs: z.number().optional(),
  decidedBy: z.string().optional(),
  execution: z.enum(['running', 'done']).optional(),
  executions: z.number().optional(),
  result: ToolResult.optional(),
});
export type ConfirmationRecord = z.infer<typeof ConfirmationRecord>;

export type Decision = 'approved' | 'declined' | 'expired' | 'superseded';
export type DecideOutcome =
  | { outcome: 'changed' | 'unchanged'; status: ConfirmationStatus }
  | { outcome: 'missing' };
export type ExecutionClaim =
  | { kind: 'run' }
  | { kind: 'done'; result: ToolResult }
  | { kind: 'refused'; reason: string };

/** A stable hash of a call's arguments: key order does not change it, any value does. */
export function hashArguments(args: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(args)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The confirmation gate (invariant 2): a side effect runs only for a call a person approved
 * through the API, bound to exactly those arguments, at most once.
 */
export class ConfirmationStore {
  private readonly redis: RedisConnection;
  private readonly keys: RedisKeys;
  private readonly ttlMs: number;
  private readonly createScript: LuaCommand;
  private readonly decideScript: LuaCommand;
  private readonly claimScript: LuaCommand;

  constructor(redis: RedisConnection, prefix: string, ttlSeconds: number) {
    this.redis = redis;
    this.keys = redisKeys(prefix);
    this.ttlMs = ttlSeconds * 1000;
    const define = (name: string) =>
      defineLuaCommand(redis, `agentops_${name.replaceAll('-', '_')}`, readLuaScript(COMMANDS_DIR, name));
    this.createScript = define('create-confirmation');
    this.decideScript = define('decide-confirmation');
    this.claimScript = define('claim-execution');
  }

  async create(record: ConfirmationRecord): Promise<void> {
    const fields = Object.entries(record).flatMap(([field, value]) => [
      field,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]);
    await this.createScript([this.keys.confirmation(record.confirmationId)], [this.ttlMs, ...fields]);
  }

  async get(confirmationId: string): Promise<ConfirmationRecord | null> {
    const fields = await this.redis.hgetall(this.keys.confirmation(confirmationId));
    if (!fields.status) return null;
    const json = (value: string | undefined) => (value === undefined ? undefined : JSON.parse(value));
    return ConfirmationRecord.parse({
      ...fields,
      arguments: json(fields.arguments),
      expiresAtMs: Number(fields.expiresAtMs),
      decidedAtMs: fields.decidedAtMs === undefined ? undefined : Number(fields.decidedAtMs),
      executions: fields.executions === undefined ? undefined : Number(fields.executions),
      result: json(fields.result),
    });
  }

  async decide(
    confirmationId: string,
    decision: Decision,
    decidedBy: string,
    now = Date.now(),
  ): Promise<DecideOutcome> {
    const [outcome, status] = (await this.decideScript(
      [this.keys.confirmation(confirmationId)],
      [decision, now, decidedBy],
    )) as [string, string];
    if (outcome === 'missing') return { outcome: 'missing' };
    return {
      outcome: outcome === 'changed' ? 'changed' : 'unchanged',
      status: ConfirmationStatus.parse(status),
    };
  }

  async claimExecution(
    confirmationId: string,
    call: { tool: string; sessionId: string; arguments: Record<string, unknown> },
  ): Promise<ExecutionClaim> {
    const reply = (await this.claimScript(
      [this.keys.confirmation(confirmationId)],
      [call.tool, call.sessionId, hashArguments(call.arguments)],
    )) as [string, string?];
    if (reply[0] === 'run') return { kind: 'run' };
    if (reply[0] === 'done') return { kind: 'done', result: ToolResult.parse(JSON.parse(reply[1] ?? '{}')) };
    return { kind: 'refused', reason: reply[1] ?? 'refused' };
  }

  async completeExecution(confirmationId: string, result: ToolResult): Promise<void> {
    await this.redis.hset(
      this.keys.confirmation(confirmationId),
      'execution',
      'done',
      'result',
      JSON.stringify(result),
    );
  }
}
