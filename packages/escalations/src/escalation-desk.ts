import {
  defineLuaCommand,
  type EscalationAction,
  EscalationRecord,
  type EscalationRequest,
  type EscalationStatus,
  type HistoryMessage,
  type LuaCommand,
  type RedisConnection,
  type RedisKeys,
  readLuaScript,
  redisKeys,
  type SessionEvent,
  type SessionStatus,
} from '@agentops/core';
import { SESSION_LUA_HELPERS } from '@agentops/sessions';

const COMMANDS_DIR = new URL('./commands/', import.meta.url);
const HELPERS = ['lib-desk'];

/** A support key whose tenant is this works every tenant's escalations (a central support team). */
export const ALL_TENANTS = '*';

export const ESCALATION_STATUSES: readonly EscalationStatus[] = ['waiting', 'claimed', 'resolved'];

/** What the user reads when the desk hands the conversation back or ends it. */
export const RESOLUTION_NOTICES: Record<EscalationAction, string> = {
  return_to_bot: 'Our support team has handed this conversation back to the assistant.',
  close: 'Our support team has closed this conversation. Please start a new one if you need more help.',
};

const SESSION_STATUS_AFTER: Record<EscalationAction, SessionStatus> = {
  return_to_bot: 'active',
  close: 'closed',
};

/** Who acts on an escalation: the key (by its non-secret id), the agent's name, and whether it is ops. */
export interface DeskActor {
  keyId: string;
  agentName?: string;
  /** ops may reply to and resolve an escalation another agent holds (someone went home). */
  override: boolean;
}

export type ActorRefusal =
  | 'missing'
  | 'already_resolved'
  | 'not_claimed'
  | 'claimed_by_other'
  | 'session_missing';

export type ClaimOutcome =
  | { outcome: 'claimed' | 'again'; escalation: EscalationRecord }
  | { outcome: 'conflict'; claimedBy: string }
  | { outcome: 'already_resolved' | 'missing' };

export type ReplyOutcome = { outcome: 'sent'; message: HistoryMessage } | { outcome: ActorRefusal };

export type ResolveOutcome =
  | { outcome: 'resolved' | 'again'; escalation: EscalationRecord; sessionChanged: boolean }
  | { outcome: ActorRefusal };

export interface DeskSettings {
  /** Every escalation key lives this long after its last change. */
  escalationTtlSeconds: number;
  /** The sessions' TTL, refreshed when the desk writes to a session. */
  sessionTtlSeconds: number;
}

/**
 * The support desk's records: one Redis hash per escalation and, per status, a sorted set of
 * every tenant's and one of each tenant's escalations, scored by creation time so lists come
 * oldest first. Every change is one Lua script, so a claim is exclusive and a reply or resolution
 * reaches the escalation and the user's session together or not at all.
 */
export class EscalationDesk {
  readonly keys: RedisKeys;
  private readonly redis: RedisConnection;
  private readonly ttlMs: number;
  private readonly sessionTtlMs: number;
  private readonly openScript: LuaCommand;
  private readonly claimScript: LuaCommand;
  private readonly replyScript: LuaCommand;
  private readonly resolveScript: LuaCommand;

  constructor(redis: RedisConnection, prefix: string, settings: DeskSettings) {
    this.redis = redis;
    this.keys = redisKeys(prefix);
    this.ttlMs = settings.escalationTtlSeconds * 1000;
    this.sessionTtlMs = settings.sessionTtlSeconds * 1000;
    const define = (name: string, source: string) =>
      defineLuaCommand(redis, `agentops_${name.replaceAll('-', '_')}`, source);
    const script = (name: string) => readLuaScript(COMMANDS_DIR, name, HELPERS);
    this.openScript = define('open-escalation', script('open-escalation'));
    this.claimScript = define('claim-escalation', script('claim-escalation'));
    this.replyScript = define('reply-escalation', `${SESSION_LUA_HELPERS}\n${script('reply-escalation')}`);
    this.resolveScript = define(
      'resolve-escalation',
      `${SESSION_LUA_HELPERS}\n${script('resolve-escalation')}`,
    );
  }

  /** Files a producer's request as a waiting escalation; false when it had been filed before. */
  async open(request: EscalationRequest): Promise<boolean> {
    const fields: Record<string, string> = {
      escalationId: request.escalationId,
      sessionId: request.sessionId,
      tenant: request.tenant,
      userId: request.userId,
      reason: request.reason,
      detail: request.detail,
      status: 'waiting',
      createdAt: request.createdAt,
      createdAtMs: String(Date.parse(request.createdAt) || Date.now()),
      updatedAt: new Date().toISOString(),
      replies: '0',
    };
    if (request.turnId !== undefined) fields.turnId = request.turnId;
    const filed = await this.openScript(
      [
        this.keys.escalation(request.escalationId),
        this.keys.escalationIndex('waiting'),
        this.keys.tenantEscalationIndex(request.tenant, 'waiting'),
      ],
      [
        this.ttlMs,
        fields.createdAtMs ?? 0,
        request.escalationId,
        Date.now(),
        ...Object.entries(fields).flat(),
      ],
    );
    return filed === 1;
  }

  async get(escalationId: string): Promise<EscalationRecord | null> {
    const fields = await this.redis.hgetall(this.keys.escalation(escalationId));
    if (!fields.status) return null;
    return EscalationRecord.parse(fields);
  }

  /**
   * Escalations in the given statuses, oldest first, at most `limit`; `tenant` `*` means every
   * tenant's. Entries whose record has expired are dropped from the index on the way.
   */
  async list(options: {
    tenant: string;
    statuses: readonly EscalationStatus[];
    limit: number;
  }): Promise<EscalationRecord[]> {
    const indexKey = (status: EscalationStatus) =>
      options.tenant === ALL_TENANTS
        ? this.keys.escalationIndex(status)
        : this.keys.tenantEscalationIndex(options.tenant, status);
    const entries: { id: string; score: number; index: string }[] = [];
    for (const status of options.statuses) {
      const index = indexKey(status);
      const flat = await this.redis.zrange(index, 0, String(options.limit - 1), 'WITHSCORES');
      for (let i = 0; i + 1 < flat.length; i += 2) {
        entries.push({ id: flat[i] as string, score: Number(flat[i + 1]), index });
      }
    }
    entries.sort((a, b) => a.score - b.score || a.id.localeCompare(b.id));
    const oldest = entries.slice(0, options.limit);
    const records = await Promise.all(oldest.map((entry) => this.get(entry.id)));
    const found: EscalationRecord[] = [];
    const expired: Promise<unknown>[] = [];
    for (const [i, record] of records.entries()) {
      const entry = oldest[i];
      if (!entry) continue;
      if (record === null) expired.push(this.redis.zrem(entry.index, entry.id));
      else if (options.statuses.includes(record.status)) found.push(record);
    }
    await Promise.all(expired);
    return found;
  }

  async claim(escalationId: string, agentName: string, keyId: string): Promise<ClaimOutcome> {
    const record = await this.get(escalationId);
    if (!record) return { outcome: 'missing' };
    const reply = (await this.claimScript(
      [
        this.keys.escalation(escalationId),
        this.keys.escalationIndex('waiting'),
        this.keys.tenantEscalationIndex(record.tenant, 'waiting'),
        this.keys.escalationIndex('claimed'),
        this.keys.tenantEscalationIndex(record.tenant, 'claimed'),
      ],
      [agentName, keyId, new Date().toISOString(), this.ttlMs, escalationId],
    )) as [string, string?];
    const [outcome, claimedBy] = reply;
    if (outcome === 'conflict') return { outcome, claimedBy: claimedBy ?? 'another agent' };
    if (outcome === 'claimed' || outcome === 'again') {
      const escalation = await this.get(escalationId);
      if (escalation) return { outcome, escalation };
    }
    return { outcome: outcome === 'already_resolved' ? 'already_resolved' : 'missing' };
  }

  /** Delivers an agent's message into the user's session (history and event stream). */
  async reply(escalationId: string, actor: DeskActor, content: string): Promise<ReplyOutcome> {
    const record = await this.get(escalationId);
    if (!record) return { outcome: 'missing' };
    const at = new Date().toISOString();
    const agentName = actor.agentName ?? record.claimedBy;
    const message: HistoryMessage = { role: 'agent', content, at, ...(agentName ? { agentName } : {}) };
    const event: SessionEvent = { type: 'message', role: 'agent', content, at };
    const { sessionId } = record;
    const [outcome] = (await this.replyScript(
      [
        this.keys.escalation(escalationId),
        this.keys.escalationIndex('claimed'),
        this.keys.tenantEscalationIndex(record.tenant, 'claimed'),
        this.keys.session(sessionId),
        this.keys.sessionEvents(sessionId),
        this.keys.sessionMessages(sessionId),
      ],
      [
        actor.keyId,
        actor.agentName ?? '',
        actor.override ? '1' : '0',
        at,
        this.ttlMs,
        this.sessionTtlMs,
        this.keys.eventsChannel,
        sessionId,
        JSON.stringify(message),
        JSON.stringify(event),
      ],
    )) as [string];
    return outcome === 'ok' ? { outcome: 'sent', message } : { outcome: outcome as ActorRefusal };
  }

  /** Resolves the escalation and moves its session on: `active` again, or `closed`. */
  async resolve(
    escalationId: string,
    actor: DeskActor,
    action: EscalationAction,
    note?: string,
  ): Promise<ResolveOutcome> {
    const record = await this.get(escalationId);
    if (!record) return { outcome: 'missing' };
    const at = new Date().toISOString();
    const { sessionId, tenant } = record;
    const sessionStatus = SESSION_STATUS_AFTER[action];
    const notice = RESOLUTION_NOTICES[action];
    const noticeMessage: HistoryMessage = { role: 'notice', content: notice, at };
    const noticeEvent: SessionEvent = { type: 'message', role: 'notice', content: notice, at };
    const statusEvent: SessionEvent = { type: 'session.status', status: sessionStatus, at };
    const resolvedBy = actor.agentName ?? record.claimedBy ?? actor.keyId;
    const [outcome, changed] = (await this.resolveScript(
      [
        this.keys.escalation(escalationId),
        this.keys.escalationIndex('claimed'),
        this.keys.tenantEscalationIndex(tenant, 'claimed'),
        this.keys.escalationIndex('resolved'),
        this.keys.tenantEscalationIndex(tenant, 'resolved'),
        this.keys.session(sessionId),
        this.keys.sessionEvents(sessionId),
        this.keys.sessionMessages(sessionId),
      ],
      [
        actor.keyId,
        actor.agentName ?? '',
        actor.override ? '1' : '0',
        action,
        note ?? '',
        resolvedBy,
        at,
        Date.now(),
        this.ttlMs,
        this.sessionTtlMs,
        this.keys.eventsChannel,
        sessionId,
        escalationId,
        sessionStatus,
        JSON.stringify(noticeMessage),
        JSON.stringify(noticeEvent),
        JSON.stringify(statusEvent),
      ],
    )) as [string, number?];
    if (outcome !== 'resolved' && outcome !== 'again') return { outcome: outcome as ActorRefusal };
    const escalation = await this.get(escalationId);
    if (!escalation) return { outcome: 'missing' };
    return { outcome, escalation, sessionChanged: changed === 1 };
  }
}
