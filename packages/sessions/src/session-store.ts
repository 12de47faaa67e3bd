import {
  defineLuaCommand,
  HistoryMessage,
  type LuaCommand,
  type RedisConnection,
  type RedisKeys,
  readLuaScript,
  redisKeys,
  SessionEvent,
  SessionRecord,
  TurnRecord,
} from '@agentops/core';

const COMMANDS_DIR = new URL('./commands/', import.meta.url);
const HELPERS = ['lib-events'];

export type AcceptResult =
  | { outcome: 'accepted'; position: number }
  | { outcome: 'missing' }
  | { outcome: 'closed' }
  | { outcome: 'full'; depth: number }
  | { outcome: 'paused'; retryAfterMs: number }
  | { outcome: 'busy'; backlog: number };

/**
 * The API's admission checks, made in the same atomic step as the acceptance (one round trip
 * instead of four): who owns the session, a breaker that pauses the platform, a bound on the
 * backlog of turns waiting for a router.
 */
export interface TurnAdmission {
  /** The caller's tenant: another tenant's session is answered as missing. */
  tenant?: string;
  /** While this key exists no turn is accepted (the global cost breaker). */
  pausedWhile?: string;
  /** A list whose length is the platform's backlog (the turns queue's waiting jobs), and its bound. */
  backlog?: { key: string; max: number };
}

/** What one committed step adds besides the turn record: history entries and stream events. */
export interface StepEffects {
  messages?: HistoryMessage[];
  events?: SessionEvent[];
}

/** A turn as a router finds it: the session's inbox head, the turn and its session. */
export interface TurnState {
  head: string | null;
  turn: TurnRecord | null;
  session: SessionRecord | null;
}

export interface SessionChange extends StepEffects {
  fields: Partial<Pick<SessionRecord, 'status' | 'summary' | 'summarizedCount' | 'escalationId'>>;
}

/**
 * Sessions, their history and their turns in Redis. Every write refreshes the session's TTL, so
 * an idle session expires as a whole and nothing grows without bound.
 */
export class SessionStore {
  readonly keys: RedisKeys;
  private readonly redis: RedisConnection;
  private readonly ttlMs: number;
  private readonly acceptTurnScript: LuaCommand;
  private readonly saveTurnScript: LuaCommand;
  private readonly finishTurnScript: LuaCommand;
  private readonly updateSessionScript: LuaCommand;
  private readonly loadTurnScript: LuaCommand;

  constructor(redis: RedisConnection, prefix: string, ttlSeconds: number) {
    this.redis = redis;
    this.keys = redisKeys(prefix);
    this.ttlMs = ttlSeconds * 1000;
    const define = (name: string) =>
      defineLuaCommand(
        redis,
        `agentops_${name.replaceAll('-', '_')}`,
        readLuaScript(COMMANDS_DIR, name, HELPERS),
      );
    this.acceptTurnScript = define('accept-turn');
    this.saveTurnScript = define('save-turn');
    this.finishTurnScript = define('finish-turn');
    this.updateSessionScript = define('update-session');
    this.loadTurnScript = define('load-turn');
  }

  async createSession(session: SessionRecord): Promise<void> {
    const key = this.keys.session(session.sessionId);
    await this.redis.multi().hset(key, serializeSession(session)).pexpire(key, this.ttlMs).exec();
  }

  async getSession(sessionId: string): Promise<SessionRecord | null> {
    return parseSession(await this.redis.hgetall(this.keys.session(sessionId)));
  }

  /** The inbox head, the turn and its session in one round trip (what a router reads first). */
  async loadTurnState(sessionId: string, turnId: string): Promise<TurnState> {
    const [head, turn, flat] = (await this.loadTurnScript(
      [this.keys.sessionInbox(sessionId), this.keys.turn(turnId), this.keys.session(sessionId)],
      [],
    )) as [string | null, string | null, string[]];
    const fields: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i] as string] = flat[i + 1] as string;
    return {
      head: head ?? null,
      turn: turn === null ? null : TurnRecord.parse(JSON.parse(turn)),
      session: parseSession(fields),
    };
  }

  async getHistory(sessionId: string): Promise<HistoryMessage[]> {
    const raw = await this.redis.lrange(this.keys.sessionMessages(sessionId), 0, -1);
    return raw.map((entry) => HistoryMessage.parse(JSON.parse(entry)));
  }

  async acceptTurn(
    turn: TurnRecord,
    maxQueuedTurns: number,
    admission: TurnAdmission = {},
  ): Promise<AcceptResult> {
    const { sessionId, turnId } = turn;
    const event: SessionEvent = { type: 'turn.status', turnId, status: turn.status, at: turn.createdAt };
    const session = this.keys.session(sessionId);
    const reply = (await this.acceptTurnScript(
      [
        session,
        this.keys.turn(turnId),
        this.keys.sessionInbox(sessionId),
        this.keys.sessionEvents(sessionId),
        // Unused keys still name a key of this session, so a script never spans two cluster slots.
        admission.pausedWhile ?? session,
        admission.backlog?.key ?? session,
      ],
      [
        turnId,
        JSON.stringify(turn),
        this.ttlMs,
        this.keys.eventsChannel,
        sessionId,
        maxQueuedTurns,
        JSON.stringify(event),
        admission.tenant ?? '',
        admission.pausedWhile ? '1' : '',
        admission.backlog ? admission.backlog.max : '',
      ],
    )) as [string, number?];
    switch (reply[0]) {
      case 'ok':
        return { outcome: 'accepted', position: Number(reply[1]) };
      case 'full':
        return { outcome: 'full', depth: Number(reply[1]) };
      case 'closed':
        return { outcome: 'closed' };
      case 'paused':
        return { outcome: 'paused', retryAfterMs: Number(reply[1]) };
      case 'busy':
        return { outcome: 'busy', backlog: Number(reply[1]) };
      default:
        return { outcome: 'missing' };
    }
  }

  async getTurn(turnId: string): Promise<TurnRecord | null> {
    const raw = await this.redis.get(this.keys.turn(turnId));
    return raw === null ? null : TurnRecord.parse(JSON.parse(raw));
  }

  /** The turn that holds the session: only it may run (invariant 4). */
  async inboxHead(sessionId: string): Promise<string | null> {
    return this.redis.lindex(this.keys.sessionInbox(sessionId), 0);
  }

  async saveTurn(turn: TurnRecord, effects: StepEffects = {}): Promise<void> {
    const { sessionId } = turn;
    await this.saveTurnScript(
      [
        this.keys.turn(turn.turnId),
        this.keys.sessionMessages(sessionId),
        this.keys.sessionEvents(sessionId),
        this.keys.session(sessionId),
      ],
      [JSON.stringify(turn), this.ttlMs, this.keys.eventsChannel, sessionId, ...serializeEffects(effects)],
    );
  }

  /** Commits the turn's end and returns the session's next turn, if one waits. */
  async finishTurn(turn: TurnRecord, effects: StepEffects = {}): Promise<string | null> {
    const { sessionId } = turn;
    const next = await this.finishTurnScript(
      [
        this.keys.turn(turn.turnId),
        this.keys.sessionMessages(sessionId),
        this.keys.sessionEvents(sessionId),
        this.keys.session(sessionId),
        this.keys.sessionInbox(sessionId),
      ],
      [
        JSON.stringify(turn),
        this.ttlMs,
        this.keys.eventsChannel,
        sessionId,
        turn.turnId,
        ...serializeEffects(effects),
      ],
    );
    return typeof next === 'string' ? next : null;
  }

  /** Returns false when the session no longer exists. */
  async updateSession(sessionId: string, change: SessionChange): Promise<boolean> {
    const fieldPairs = Object.entries(change.fields)
      .filter(([, value]) => value !== undefined)
      .flatMap(([field, value]) => [field, String(value)]);
    const updated = await this.updateSessionScript(
      [
        this.keys.session(sessionId),
        this.keys.sessionEvents(sessionId),
        this.keys.sessionMessages(sessionId),
      ],
      [
        this.ttlMs,
        this.keys.eventsChannel,
        sessionId,
        fieldPairs.length / 2,
        ...fieldPairs,
        ...serializeEffects(change),
      ],
    );
    return updated === 1;
  }

  /** Events after `afterId` (exclusive), oldest first; `0` reads from the start of the stream. */
  async readEvents(
    sessionId: string,
    afterId: string,
    count = 100,
  ): Promise<{ id: string; event: SessionEvent }[]> {
    const start = afterId === '0' ? '-' : `(${afterId}`;
    const entries = await this.redis.xrange(this.keys.sessionEvents(sessionId), start, '+', 'COUNT', count);
    return entries.map(([id, fields]) => ({ id, event: SessionEvent.parse(JSON.parse(fields[1] ?? '{}')) }));
  }
}

function parseSession(fields: Record<string, string>): SessionRecord | null {
  if (!fields.status) return null;
  return SessionRecord.parse({
    ...fields,
    metadata: JSON.parse(fields.metadata ?? '{}'),
    summarizedCount: fields.summarizedCount === undefined ? undefined : Number(fields.summarizedCount),
  });
}

function serializeSession(session: SessionRecord): Record<string, string> {
  const fields: Record<string, string> = {
    sessionId: session.sessionId,
    tenant: session.tenant,
    userId: session.userId,
    agent: session.agent,
    status: session.status,
    createdAt: session.createdAt,
    metadata: JSON.stringify(session.metadata),
  };
  if (session.summary !== undefined) fields.summary = session.summary;
  if (session.summarizedCount !== undefined) fields.summarizedCount = String(session.summarizedCount);
  if (session.escalationId !== undefined) fields.escalationId = session.escalationId;
  return fields;
}

function serializeEffects(effects: StepEffects): string[] {
  const messages = (effects.messages ?? []).map((message) => JSON.stringify(message));
  const events = (effects.events ?? []).map((event) => JSON.stringify(event));
  return [String(messages.length), ...messages, ...events];
}
