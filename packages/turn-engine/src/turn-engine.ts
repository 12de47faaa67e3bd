import type { ConfirmationStore } from '@agentops/confirmations';
import { hashArguments } from '@agentops/confirmations';
import {
  type ContractSet,
  renderConfirmationSummary,
  sessionScopes,
  validateToolArguments,
} from '@agentops/contracts';
import {
  type EscalationReason,
  type HistoryMessage,
  isTerminal,
  type ModelSpec,
  needsConfirmation,
  newId,
  type PendingToolCall,
  type SessionEvent,
  type SessionRecord,
  type ToolCall,
  type ToolCallSummary,
  type ToolJobData,
  type ToolResult,
  type TurnRecord,
  type TurnStatus,
  toolError,
  toolQueueName,
  type UsageEvent,
} from '@agentops/core';
import { type EscalationPublisher, escalationIdForTurn } from '@agentops/escalations';
import {
  type Completion,
  callCostMicros,
  HANDOFF_TOOL,
  type ModelProvider,
  type PromptMessage,
  SUMMARY_SYSTEM_PROMPT,
  systemWithSummary,
  type ToolDefinition,
  worstCaseCostMicros,
} from '@agentops/llm';
import type { SessionStore } from '@agentops/sessions';
import { type Logger, traceTurnEnd } from '@agentops/telemetry';
import { fitToContextWindow } from './context-window.ts';
import { callChosenModel, type ModelCallSettings } from './model-call.ts';
import type { ModelChooser } from './model-choice.ts';
import { modelFailureOf, modelFailuresIn } from './model-failures.ts';
import { historyToPrompt, type ToolResultFormatter, toolDefinitions } from './prompt.ts';
import { HANDOFF_REPLIES, REPLIES, TOOL_MESSAGES } from './replies.ts';
import type { SpendLedger, SpendRefusal, SpendReservation, TokenBudget } from './spend.ts';
import { summaryCut } from './summary-cut.ts';
import type { TurnGuard } from './turn-guard.ts';

/** A tool call handed to its queue as a child of the turn's job. */
export interface ToolChild {
  jobId: string;
  queue: string;
  data: ToolJobData;
  attempts: number;
}

/** What a finished tool job returned (see the tool worker's ToolJobResult). */
export interface ChildOutcome {
  result: ToolResult;
  attempts: number;
  latencyMs: number;
  cached?: boolean;
}

/** The turn's BullMQ job, as the engine needs it. */
export interface TurnJobContext {
  childOutcomes(): Promise<Map<string, ChildOutcome>>;
  fanOut(children: ToolChild[]): Promise<void>;
}

export type StepOutcome =
  | { kind: 'ended'; nextTurnId: string | null }
  | { kind: 'wait_children' }
  | { kind: 'wait_until'; atMs: number };

export interface TurnEngineSettings extends ModelCallSettings {
  maxStepsPerTurn: number;
}

export interface TurnEngineDeps {
  sessions: SessionStore;
  confirmations: ConfirmationStore;
  contracts: ContractSet;
  escalations: EscalationPublisher;
  chooser: ModelChooser;
  providers: ReadonlyMap<string, ModelProvider>;
  publishUsage(event: UsageEvent): Promise<void>;
  formatToolResult: ToolResultFormatter;
  guard: TurnGuard;
  logger: Logger;
  settings: TurnEngineSettings;
  ledger: SpendLedger;
  budget: TokenBudget;
  /** The cheapest enabled model: it writes the summaries. */
  summaryModel: ModelSpec;
}

const HANDOFF_DEFINITION: ToolDefinition = {
  name: HANDOFF_TOOL,
  description:
    'Hand the conversation to a person on the support team. Use it when the customer asks for a person or when you cannot help.',
  inputSchema: {
    type: 'object',
    properties: { reason: { type: 'string', maxLength: 300 } },
    required: ['reason'],
    additionalProperties: false,
  },
};

const now = () => new Date().toISOString();

/**
 * Takes one turn through its steps: call the model, hand tool calls to their queues, wait for
 * their results or for a person's confirmation, and end with a reply the user can read. Each step
 * is committed to Redis before the next begins, so a turn picked up again after a crash resumes
 * from its last committed step and never redoes a tool call that was already handed out.
 */
export class TurnEngine {
  private readonly deps: TurnEngineDeps;

  constructor(deps: TurnEngineDeps) {
    this.deps = deps;
  }

  /** `loaded`: the turn and its session as the caller has just read them, so they are not read again. */
  async advance(
    turnId: string,
    job: TurnJobContext,
    loaded?: { turn: TurnRecord | null; session: SessionRecord | null },
  ): Promise<StepOutcome> {
    const { sessions } = this.deps;
    const turn = loaded ? loaded.turn : await sessions.getTurn(turnId);
    if (!turn || isTerminal(turn.status)) return { kind: 'ended', nextTurnId: null };
    const session =
      loaded && loaded.session?.sessionId === turn.sessionId
        ? loaded.session
        : await sessions.getSession(turn.sessionId);
    if (!session) {
      return this.finish(turn, 'failed', REPLIES.sessionClosed, {
        error: { type: 'session_expired', message: 'session expired' },
      });
    }

    if (turn.status === 'queued') {
      if (session.status === 'escalated') return this.answerWhileEscalated(turn, session);
      if (session.status === 'closed') {
        return this.finish(turn, 'failed', REPLIES.sessionClosed, {
          error: { type: 'session_closed', message: 'session closed' },
          before: [{ role: 'user', content: turn.message, turnId, at: turn.createdAt }],
        });
      }
      turn.status = 'running';
      turn.startedAt = now();
      await sessions.saveTurn(turn, {
        messages: [{ role: 'user', content: turn.message, turnId, at: turn.createdAt }],
        events: [statusEvent(turn)],
      });
    }

    for (;;) {
      if (turn.pending?.length) {
        const escalation = await this.collectToolResults(turn, session, job);
        if (escalation) return this.escalate(turn, session, escalation.reason, escalation.detail);
      }
      if (turn.awaiting) {
        const waiting = await this.settleConfirmation(turn, job);
        if (waiting) return waiting;
        continue;
      }
      if (turn.step >= this.deps.settings.maxStepsPerTurn) {
        return this.escalate(turn, session, 'step_limit', `the turn used all ${turn.step} model steps`);
      }
      const outcome = await this.modelStep(turn, session, job);
      if (outcome) return outcome;
    }
  }

  /**
   * Ends a turn whose job failed for good (its attempts ran out on a platform fault), so that the
   * user still gets a reply and the session's next turn can run (invariant 5).
   */
  async abandon(turnId: string, cause: string): Promise<string | null> {
    const turn = await this.deps.sessions.getTurn(turnId);
    if (!turn || isTerminal(turn.status)) return null;
    if (turn.awaiting)
      await this.deps.confirmations.decide(turn.awaiting.confirmationId, 'expired', 'platform');
    turn.awaiting = undefined;
    turn.confirmation = undefined;
    this.deps.logger.error(
      { sessionId: turn.sessionId, turnId, cause },
      'turn abandoned after repeated failures',
    );
    const outcome = await this.finish(turn, 'failed', REPLIES.internalFailure, {
      error: { type: 'internal', message: 'the turn could not be completed' },
    });
    return outcome.kind === 'ended' ? outcome.nextTurnId : null;
  }

  /** One model call and what its answer asks for. Returns undefined to go round the loop again. */
  private async modelStep(
    turn: TurnRecord,
    session: SessionRecord,
    job: TurnJobContext,
  ): Promise<StepOutcome | undefined> {
    const { contracts, sessions, settings } = this.deps;
    const profile = contracts.agents.get(session.agent);
    if (!profile)
      return this.finish(turn, 'failed', REPLIES.internalFailure, {
        error: { type: 'agent_missing', message: 'agent profile missing' },
      });

    const spend = await this.deps.ledger.sessionSpend(session.sessionId);
    const { budget } = this.deps;
    if (spend.tokens >= budget.sessionTokens) return this.closeForTokenBudget(turn, session, spend.tokens);
    if (spend.tokens >= budget.sessionTokens * budget.warningRatio) {
      const refusal = await this.summariseOlderTurns(turn, session);
      if (refusal) return refusal;
    }

    const history = await sessions.getHistory(session.sessionId);
    let choice = this.deps.chooser.choose({
      message: turn.message,
      conversationDepth: history.filter((m) => m.role === 'user' || m.role === 'assistant').length,
      toolFailures: turn.toolCalls.filter((call) => call.status === 'error').length,
      modelFailures: modelFailuresIn(turn),
      budgetRemaining: Math.max(0, 1 - spend.tokens / budget.sessionTokens),
    });
    const tools = [...toolDefinitions(profile.tools, contracts.tools), HANDOFF_DEFINITION];
    const system = systemWithSummary(
      this.deps.guard.systemPrompt(session, profile.system_prompt),
      session.summary,
    );
    const visibleHistory = history.slice(session.summarizedCount ?? 0);
    const prompt = fitToContextWindow(
      choice.model,
      system,
      historyToPrompt(visibleHistory, this.deps.formatToolResult),
      tools,
    );
    if (!prompt.fits) {
      this.deps.logger.warn(
        { turnId: turn.turnId, model: choice.model.id, promptTokens: prompt.promptTokens },
        'prompt does not fit the context window',
      );
      return this.finish(turn, 'failed', REPLIES.messageTooLong, {
        error: { type: 'context_overflow', message: 'the message does not fit the model context window' },
      });
    }
    if (prompt.droppedMessages > 0) {
      this.deps.logger.info(
        { turnId: turn.turnId, model: choice.model.id, droppedMessages: prompt.droppedMessages },
        'oldest messages left out of the prompt to fit the context window',
      );
    }

    const reservation = await this.reserveSpend(
      session,
      worstCaseCostMicros(choice.model, prompt.promptTokens, choice.model.max_output_tokens),
    );
    if (reservation.kind === 'refused') return this.refuseForSpend(turn, session, reservation);
    const started = performance.now();
    let completion: Awaited<ReturnType<ModelProvider['complete']>>;
    try {
      ({ choice, completion } = await callChosenModel(
        this.deps,
        choice,
        { system, messages: prompt.messages, tools, maxOutputTokens: choice.model.max_output_tokens },
        { sessionId: session.sessionId, turnId: turn.turnId, step: turn.step + 1 },
        settings,
      ));
    } catch (error) {
      // Nothing is known to have been spent; releasing the reservation keeps the budget honest.
      await this.deps.ledger.settle(reservation, 0, 0);
      this.deps.logger.error(
        { turnId: turn.turnId, model: choice.model.id, err: error },
        'model call failed',
      );
      return this.finish(turn, 'failed', REPLIES.modelUnavailable, {
        error: { type: 'model_unavailable', message: 'the model did not answer' },
      });
    }
    await this.accountModelCall(turn, session, reservation, choice.model, completion, {
      purpose: 'turn',
      latencyMs: performance.now() - started,
    });
    turn.step += 1;
    turn.model = choice.model.id;
    const failure = modelFailureOf(completion, new Set(profile.tools), contracts.tools);
    turn.routing.push({
      step: turn.step,
      model: choice.model.id,
      tier: choice.tier,
      reason: choice.reason,
      ...(failure ? { failure } : {}),
    });
    const refusal = await this.deps.guard.screenCompletion(turn, session, completion);
    if (refusal) return this.finish(turn, 'completed', refusal);

    if (completion.toolCalls.length === 0) {
      const reply = completion.text.trim() || REPLIES.emptyAnswer;
      return this.finish(turn, 'completed', reply, { replyRole: 'assistant' });
    }
    return this.dispatchToolCalls(turn, session, completion.text, completion.toolCalls, job);
  }

  /**
   * Answers what the router can answer itself (unknown tools, bad arguments, a hand-off), opens a
   * confirmation for a side effect, and hands the rest to the tool queues.
   */
  private async dispatchToolCalls(
    turn: TurnRecord,
    session: SessionRecord,
    text: string,
    calls: ToolCall[],
    job: TurnJobContext,
  ): Promise<StepOutcome | undefined> {
    const { contracts } = this.deps;
    const profile = contracts.agents.get(session.agent);
    const offered = new Set(profile?.tools ?? []);
    const scopes = sessionScopes(contracts, session.tenant, session.agent);
    const at = now();
    const messages: HistoryMessage[] = [
      { role: 'assistant', content: text, turnId: turn.turnId, at, toolCalls: calls },
    ];
    const answer = (call: ToolCall, result: ToolResult) =>
      messages.push({ role: 'tool', turnId: turn.turnId, at, toolCallId: call.id, tool: call.name, result });
    const children: ToolChild[] = [];
    const pending: PendingToolCall[] = [];
    const handoff = calls.find((call) => call.name === HANDOFF_TOOL);

    for (const [index, call] of calls.entries()) {
      if (handoff) {
        answer(
          call,
          call === handoff
            ? { status: 'success', retry_safe: false, message: 'handed to a person' }
            : toolError('permanent', TOOL_MESSAGES.handoffCancelled, { retrySafe: false }),
        );
        continue;
      }
      const contract = contracts.tools.get(call.name);
      if (!contract || !offered.has(call.name)) {
        answer(
          call,
          contract
            ? toolError('permanent', `${call.name} is not permitted for this assistant`, { retrySafe: false })
            : toolError(
                'permanent',
                `there is no tool named "${call.name.slice(0, 64)}"; the tools you may call are: ${[...offered].join(', ')}`,
                { retrySafe: false },
              ),
        );
        continue;
      }
      if (call.invalidArguments !== undefined) {
        answer(
          call,
          toolError('permanent', `invalid arguments for ${call.name}: not a JSON object`, {
            retrySafe: false,
          }),
        );
        continue;
      }
      const validation = validateToolArguments(contract.input_schema, call.arguments);
      if (!validation.valid) {
        answer(
          call,
          toolError(
            'permanent',
            `invalid arguments for ${call.name}: ${validation.messages.slice(0, 5).join('; ')}`,
            { retrySafe: false },
          ),
        );
        continue;
      }
      if (!scopes.has(contract.auth_scope)) {
        answer(
          call,
          toolError('permanent', `${call.name} is not permitted for this assistant`, { retrySafe: false }),
        );
        continue;
      }
      if (needsConfirmation(contract.side_effects)) {
        if (turn.awaiting) {
          answer(call, toolError('permanent', TOOL_MESSAGES.oneConfirmationAtATime, { retrySafe: false }));
          continue;
        }
        turn.awaiting = await this.openConfirmation(
          turn,
          call,
          contract.confirmation?.summary ?? `Run ${call.name}`,
          contract.confirmation?.expires_seconds ?? 900,
        );
        continue;
      }
      const jobId = `${turn.turnId}-${turn.step}-${index}`;
      const queue = toolQueueName(call.name);
      children.push({
        jobId,
        queue,
        attempts: contract.retry_policy.max_attempts,
        data: {
          sessionId: turn.sessionId,
          turnId: turn.turnId,
          callId: call.id,
          tool: call.name,
          arguments: call.arguments,
        },
      });
      pending.push({ call, jobId, queue });
    }

    if (handoff) {
      const reason =
        typeof handoff.arguments.reason === 'string'
          ? handoff.arguments.reason
          : 'the assistant asked for a person';
      await this.deps.sessions.saveTurn(turn, { messages });
      return this.escalate(turn, session, 'user_request', reason.slice(0, 300));
    }
    return this.handOut(turn, messages, children, pending, job);
  }

  /** Commits the step, then hands its children out; a crash between the two re-adds the same job ids. */
  private async handOut(
    turn: TurnRecord,
    messages: HistoryMessage[],
    children: ToolChild[],
    pending: PendingToolCall[],
    job: TurnJobContext,
  ): Promise<StepOutcome | undefined> {
    const events: SessionEvent[] = [];
    if (children.length > 0) {
      turn.pending = pending;
      turn.status = 'waiting_tool';
      events.push(statusEvent(turn));
    }
    await this.deps.sessions.saveTurn(turn, { messages, events });
    if (children.length === 0) return undefined;
    await job.fanOut(children);
    return { kind: 'wait_children' };
  }

  /** Reads the children's results into the history; returns an escalation when the tool rules call for one. */
  private async collectToolResults(
    turn: TurnRecord,
    session: SessionRecord,
    job: TurnJobContext,
  ): Promise<{ reason: EscalationReason; detail: string } | undefined> {
    const outcomes = await job.childOutcomes();
    const at = now();
    const messages: HistoryMessage[] = [];
    let blockedTool: string | undefined;
    for (const pendingCall of turn.pending ?? []) {
      const outcome = outcomes.get(pendingCall.jobId) ?? {
        result: toolError('transient', TOOL_MESSAGES.didNotFinish, { retrySafe: false }),
        attempts: 0,
        latencyMs: 0,
      };
      const screened = await this.deps.guard.screenToolResult(
        turn,
        session,
        pendingCall.call.name,
        outcome.result,
      );
      if (screened.blocked) blockedTool ??= pendingCall.call.name;
      messages.push({
        role: 'tool',
        turnId: turn.turnId,
        at,
        toolCallId: pendingCall.call.id,
        tool: pendingCall.call.name,
        result: screened.result,
      });
      turn.toolCalls.push(summarize(pendingCall, outcome));
    }
    turn.pending = undefined;
    turn.status = 'running';
    await this.deps.sessions.saveTurn(turn, { messages, events: [statusEvent(turn)] });
    if (blockedTool)
      return { reason: 'injection', detail: `the output of ${blockedTool} tried to instruct the assistant` };
    return this.toolEscalation(turn);
  }

  /** Escalate when a tool's breaker is open or it failed `escalate_after_failures` times in this turn. */
  private toolEscalation(turn: TurnRecord): { reason: EscalationReason; detail: string } | undefined {
    const open = turn.toolCalls.find((call) => call.errorType === 'circuit_open');
    if (open) return { reason: 'tool_failures', detail: `${open.tool}: circuit breaker open` };
    const failures = new Map<string, number>();
    for (const call of turn.toolCalls) {
      if (call.status !== 'error' || call.errorType === 'declined') continue;
      failures.set(call.tool, (failures.get(call.tool) ?? 0) + 1);
    }
    for (const [tool, count] of failures) {
      const threshold = this.deps.contracts.tools.get(tool)?.escalate_after_failures;
      if (threshold !== undefined && count >= threshold) {
        return { reason: 'tool_failures', detail: `${tool} failed ${count} times in one turn` };
      }
    }
    return undefined;
  }

  private async openConfirmation(turn: TurnRecord, call: ToolCall, template: string, expiresSeconds: number) {
    const confirmationId = newId('conf');
    const expiresAtMs = Date.now() + expiresSeconds * 1000;
    const summary = renderConfirmationSummary(template, call.arguments);
    await this.deps.confirmations.create({
      confirmationId,
      sessionId: turn.sessionId,
      turnId: turn.turnId,
      callId: call.id,
      tool: call.name,
      arguments: call.arguments,
      argsHash: hashArguments(call.arguments),
      summary,
      status: 'pending',
      createdAt: now(),
      expiresAtMs,
    });
    return { call, confirmationId, summary, expiresAtMs };
  }

  /**
   * Moves a gated call on according to the person's decision. Returns how to wait, or undefined
   * when the decision has been written into the history and the model may continue.
   */
  /** True while the turn waits for a person's decision that has not been made yet. */
  async isAwaitingDecision(turnId: string): Promise<boolean> {
    const turn = await this.deps.sessions.getTurn(turnId);
    if (!turn?.awaiting) return false;
    const record = await this.deps.confirmations.get(turn.awaiting.confirmationId);
    return record?.status === 'pending';
  }

  private async settleConfirmation(turn: TurnRecord, job: TurnJobContext): Promise<StepOutcome | undefined> {
    const awaiting = turn.awaiting;
    if (!awaiting) return undefined;
    const { confirmations, sessions } = this.deps;
    let record = await confirmations.get(awaiting.confirmationId);
    if (record?.status === 'pending' && Date.now() >= record.expiresAtMs) {
      await confirmations.decide(awaiting.confirmationId, 'expired', 'platform');
      record = await confirmations.get(awaiting.confirmationId);
    }
    const status = record?.status ?? 'expired';

    if (status === 'pending') {
      if (turn.status !== 'waiting_confirmation') {
        turn.status = 'waiting_confirmation';
        turn.confirmation = {
          confirmationId: awaiting.confirmationId,
          tool: awaiting.call.name,
          summary: awaiting.summary,
          expiresAt: new Date(awaiting.expiresAtMs).toISOString(),
        };
        await sessions.saveTurn(turn, {
          events: [
            statusEvent(turn),
            {
              type: 'confirmation.required',
              turnId: turn.turnId,
              confirmationId: awaiting.confirmationId,
              tool: awaiting.call.name,
              summary: awaiting.summary,
              expiresAt: turn.confirmation.expiresAt,
              at: now(),
            },
          ],
        });
      }
      return { kind: 'wait_until', atMs: awaiting.expiresAtMs };
    }

    turn.awaiting = undefined;
    turn.confirmation = undefined;
    if (status === 'approved') {
      const jobId = `${turn.turnId}-confirmed-${awaiting.confirmationId}`;
      const queue = toolQueueName(awaiting.call.name);
      const child: ToolChild = {
        jobId,
        queue,
        attempts: 1,
        data: {
          sessionId: turn.sessionId,
          turnId: turn.turnId,
          callId: awaiting.call.id,
          tool: awaiting.call.name,
          arguments: awaiting.call.arguments,
          confirmationId: awaiting.confirmationId,
        },
      };
      const outcome = await this.handOut(
        turn,
        [],
        [child],
        [{ call: awaiting.call, jobId, queue, confirmationId: awaiting.confirmationId }],
        job,
      );
      return outcome;
    }
    const message =
      status === 'declined'
        ? TOOL_MESSAGES.declined
        : status === 'superseded'
          ? TOOL_MESSAGES.superseded
          : TOOL_MESSAGES.expired;
    turn.status = 'running';
    turn.toolCalls.push({
      callId: awaiting.call.id,
      tool: awaiting.call.name,
      status: 'error',
      errorType: 'declined',
      attempts: 0,
      latencyMs: 0,
    });
    await sessions.saveTurn(turn, {
      messages: [
        {
          role: 'tool',
          turnId: turn.turnId,
          at: now(),
          toolCallId: awaiting.call.id,
          tool: awaiting.call.name,
          result: toolError('permanent', message, { retrySafe: false }),
        },
      ],
      events: [statusEvent(turn)],
    });
    this.deps.logger.info(
      { turnId: turn.turnId, confirmationId: awaiting.confirmationId, status },
      'confirmation settled without running',
    );
    return undefined;
  }

  /**
   * Settles a model call's real cost in the ledger, publishes its usage event and adds it to the
   * turn; returns the cost in micro-dollars.
   */
  private async accountModelCall(
    turn: TurnRecord,
    session: SessionRecord,
    reservation: SpendReservation,
    model: ModelSpec,
    completion: Completion,
    call: { purpose: UsageEvent['purpose']; latencyMs: number },
  ): Promise<number> {
    const { usage } = completion;
    const costMicros = callCostMicros(model, usage);
    await this.deps.ledger.settle(reservation, costMicros, usage.inputTokens + usage.outputTokens);
    await this.deps.publishUsage({
      eventId: newId('evt'),
      sessionId: session.sessionId,
      turnId: turn.turnId,
      tenant: session.tenant,
      userId: session.userId,
      model: model.id,
      provider: model.provider,
      purpose: call.purpose,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      costMicros,
      latencyMs: call.latencyMs,
      at: now(),
    });
    turn.usage = {
      inputTokens: turn.usage.inputTokens + usage.inputTokens,
      outputTokens: turn.usage.outputTokens + usage.outputTokens,
      costMicros: turn.usage.costMicros + costMicros,
    };
    return costMicros;
  }

  private reserveSpend(session: SessionRecord, amountMicros: number) {
    const owner = { sessionId: session.sessionId, tenant: session.tenant, userId: session.userId };
    return this.deps.ledger.reserve(owner, newId('rsv'), amountMicros);
  }

  /**
   * A refused reservation: the session's or the user's money is spent, so a person takes over;
   * when the whole platform's hourly limit is reached, the turn ends politely and the API stops
   * taking turns until the window rolls or ops resets the breaker.
   */
  private async refuseForSpend(
    turn: TurnRecord,
    session: SessionRecord,
    refusal: SpendRefusal,
  ): Promise<StepOutcome> {
    this.deps.logger.warn(
      {
        sessionId: session.sessionId,
        turnId: turn.turnId,
        scope: refusal.scope,
        spentMicros: refusal.spentMicros,
        limitMicros: refusal.limitMicros,
        breakerOpened: refusal.breakerOpened,
      },
      'model call refused by the cost ledger',
    );
    if (refusal.scope === 'global') {
      return this.finish(turn, 'failed', REPLIES.platformBusy, {
        error: { type: 'platform_budget', message: 'the platform is over its spending limit' },
      });
    }
    const detail = `${refusal.scope} spending limit of $${(refusal.limitMicros / 1e6).toFixed(2)} reached`;
    return this.escalate(turn, session, 'budget', detail);
  }

  /** Past the token budget the conversation ends: the turn says so and the session closes. */
  private async closeForTokenBudget(
    turn: TurnRecord,
    session: SessionRecord,
    tokens: number,
  ): Promise<StepOutcome> {
    const at = now();
    await this.deps.sessions.updateSession(session.sessionId, {
      fields: { status: 'closed' },
      events: [{ type: 'session.status', status: 'closed', at }],
    });
    this.deps.logger.warn(
      { sessionId: session.sessionId, turnId: turn.turnId, tokens, limit: this.deps.budget.sessionTokens },
      'session closed: token budget used up',
    );
    return this.finish(turn, 'failed', REPLIES.budgetExhausted, {
      error: { type: 'token_budget_exhausted', message: 'this conversation has used its token budget' },
    });
  }

  /**
   * Past the warning mark, folds the exchanges before the last few into a summary written by the
   * cheapest model, so later prompts stay small. The summary lives on the session; the history
   * itself is kept (the user and the support desk still see every message).
   */
  private async summariseOlderTurns(
    turn: TurnRecord,
    session: SessionRecord,
  ): Promise<StepOutcome | undefined> {
    const history = await this.deps.sessions.getHistory(session.sessionId);
    const cut = summaryCut(history, session.summarizedCount ?? 0);
    if (cut === undefined) return undefined;
    const model = this.deps.summaryModel;
    const provider = this.deps.providers.get(model.provider);
    if (!provider) return undefined;
    const folded = history.slice(session.summarizedCount ?? 0, cut);
    const messages: PromptMessage[] = [
      ...(session.summary
        ? [{ role: 'user' as const, content: `Earlier summary:\n${session.summary}` }]
        : []),
      ...historyToPrompt(folded, this.deps.formatToolResult),
    ];
    const prompt = fitToContextWindow(model, SUMMARY_SYSTEM_PROMPT, messages, []);
    if (!prompt.fits) return undefined;
    const reservation = await this.reserveSpend(
      session,
      worstCaseCostMicros(model, prompt.promptTokens, model.max_output_tokens),
    );
    if (reservation.kind === 'refused') return this.refuseForSpend(turn, session, reservation);
    const started = performance.now();
    let completion: Awaited<ReturnType<ModelProvider['complete']>>;
    try {
      completion = await provider.complete({
        model,
        system: SUMMARY_SYSTEM_PROMPT,
        messages: prompt.messages,
        tools: [],
        maxOutputTokens: model.max_output_tokens,
        signal: AbortSignal.timeout(this.deps.settings.modelTimeoutMs),
      });
    } catch (error) {
      await this.deps.ledger.settle(reservation, 0, 0);
      // Without a summary the turn still runs; the context window check keeps the prompt valid.
      this.deps.logger.warn({ turnId: turn.turnId, model: model.id, err: error }, 'summary call failed');
      return undefined;
    }
    const costMicros = await this.accountModelCall(turn, session, reservation, model, completion, {
      purpose: 'summary',
      latencyMs: performance.now() - started,
    });
    session.summary = completion.text.trim();
    session.summarizedCount = cut;
    await this.deps.sessions.updateSession(session.sessionId, {
      fields: { summary: session.summary, summarizedCount: cut },
    });
    this.deps.logger.info(
      {
        sessionId: session.sessionId,
        turnId: turn.turnId,
        summarizedCount: cut,
        model: model.id,
        costMicros,
      },
      'older turns summarised',
    );
    return undefined;
  }

  private async answerWhileEscalated(turn: TurnRecord, session: SessionRecord): Promise<StepOutcome> {
    turn.escalationId = session.escalationId;
    return this.finish(turn, 'escalated', REPLIES.whileEscalated, {
      before: [{ role: 'user', content: turn.message, turnId: turn.turnId, at: turn.createdAt }],
    });
  }

  private async escalate(
    turn: TurnRecord,
    session: SessionRecord,
    reason: EscalationReason,
    detail: string,
  ): Promise<StepOutcome> {
    const escalationId = escalationIdForTurn(turn.turnId);
    await this.deps.escalations.escalate({
      escalationId,
      sessionId: session.sessionId,
      tenant: session.tenant,
      userId: session.userId,
      turnId: turn.turnId,
      reason,
      detail,
      createdAt: now(),
    });
    this.deps.logger.warn(
      { sessionId: session.sessionId, turnId: turn.turnId, reason, detail },
      'turn escalated',
    );
    turn.escalationId = escalationId;
    return this.finish(turn, 'escalated', HANDOFF_REPLIES[reason]);
  }

  /**
   * Ends the turn with a reply and releases the session to its next turn. The reply is the
   * model's (`assistant`) only when the model wrote it; anything the platform says is a `notice`.
   */
  private async finish(
    turn: TurnRecord,
    status: Extract<TurnStatus, 'completed' | 'escalated' | 'failed'>,
    reply: string,
    options: {
      replyRole?: 'assistant' | 'notice';
      error?: TurnRecord['error'];
      before?: HistoryMessage[];
    } = {},
  ): Promise<StepOutcome> {
    const at = now();
    const role = options.replyRole ?? 'notice';
    turn.status = status;
    turn.reply = reply;
    turn.endedAt = at;
    turn.pending = undefined;
    if (options.error) turn.error = options.error;
    const nextTurnId = await this.deps.sessions.finishTurn(turn, {
      messages: [...(options.before ?? []), { role, content: reply, turnId: turn.turnId, at }],
      events: [{ type: 'message', role, content: reply, turnId: turn.turnId, at }, statusEvent(turn)],
    });
    traceTurnEnd(turn);
    this.deps.logger.info(
      {
        sessionId: turn.sessionId,
        turnId: turn.turnId,
        status,
        steps: turn.step,
        costMicros: turn.usage.costMicros,
      },
      'turn finished',
    );
    return { kind: 'ended', nextTurnId };
  }
}

function statusEvent(turn: TurnRecord): SessionEvent {
  return {
    type: 'turn.status',
    turnId: turn.turnId,
    status: turn.status,
    ...(turn.reply ? { reply: turn.reply } : {}),
    at: now(),
  };
}

function summarize(pendingCall: PendingToolCall, outcome: ChildOutcome): ToolCallSummary {
  return {
    callId: pendingCall.call.id,
    tool: pendingCall.call.name,
    status: outcome.result.status,
    ...(outcome.result.error_type ? { errorType: outcome.result.error_type } : {}),
    attempts: outcome.attempts,
    latencyMs: Math.round(outcome.latencyMs),
  };
}
