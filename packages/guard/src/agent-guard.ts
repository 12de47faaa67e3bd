import { randomBytes } from 'node:crypto';
import {
  type InjectionAction,
  type InjectionPolicy,
  type InjectionSource,
  type RedisConnection,
  type ToolResult,
  type TurnRecord,
  toolError,
} from '@agentops/core';
import { type Logger, traceInjectionDetection } from '@agentops/telemetry';
import { sessionCanary, withCanary } from './canary.ts';
import { detectInjection, type InjectionFinding, stringsIn } from './injection-detector.ts';
import { stripInstructions } from './instruction-strip.ts';
import { PromptLeakDetector } from './prompt-leak.ts';
import { type LeakPlace, SecurityCounters } from './security-counters.ts';
import { UntrustedOutputFormatter } from './untrusted-output.ts';

/** What the guard needs of an agent profile (contracts/agents/*.yaml). */
export interface GuardedAgent {
  system_prompt: string;
  injection_policy: InjectionPolicy;
}

export interface AgentGuardOptions {
  redis: RedisConnection;
  prefix: string;
  logger: Logger;
  agents: ReadonlyMap<string, GuardedAgent>;
  /**
   * Keys the canaries and the output boundaries. Random per process when not given: a canary only
   * has to be the same for the step that plants it and the check that follows, both in one process.
   */
  secret?: Buffer;
}

/** What the user reads instead of a reply that carried the system prompt. */
export const PROMPT_LEAK_REFUSAL =
  "I can't share my instructions or how I'm set up. I'm happy to help with an order, a return or a question about our shop.";

/** At most this many detections are kept on one turn; the counters and the log have them all. */
const MAX_DETECTIONS_PER_TURN = 20;

interface SessionRef {
  sessionId: string;
  agent: string;
}

/**
 * The platform's defences against prompt injection and system-prompt leakage, as hooks the API
 * and the turn engine call (invariant 6, OWASP LLM01 and LLM07): every user message and tool
 * output is scored, and each detection is logged, counted and recorded on the turn; a flagged
 * tool output is marked, stripped or blocked as the agent's profile says; every system prompt
 * carries the session's canary, and a completion that carries it, or copies the prompt, never
 * becomes a reply or a tool call.
 */
export class AgentGuard {
  private readonly options: AgentGuardOptions;
  private readonly secret: Buffer;
  private readonly counters: SecurityCounters;
  private readonly leakDetectors = new Map<string, PromptLeakDetector>();
  /** Formats a tool result for the model (delimited, datamarked); the router's `formatToolResult`. */
  readonly formatToolResult: (tool: string, result: ToolResult) => string;

  constructor(options: AgentGuardOptions) {
    this.options = options;
    this.secret = options.secret ?? randomBytes(32);
    this.counters = new SecurityCounters(options.redis, options.prefix);
    for (const [name, agent] of options.agents) {
      this.leakDetectors.set(name, new PromptLeakDetector(withCanary(agent.system_prompt, '')));
    }
    this.formatToolResult = new UntrustedOutputFormatter(this.secret).format;
  }

  /** The agent's system prompt with the session's canary planted in it. */
  systemPrompt(session: SessionRef, prompt: string): string {
    return withCanary(prompt, sessionCanary(this.secret, session.sessionId));
  }

  /** A user's own message: scored, and a detection logged, counted and recorded (never refused). */
  async screenUserMessage(turn: TurnRecord): Promise<void> {
    const finding = detectInjection(turn.message, 'user');
    if (finding.flagged) await this.detected(turn, 'user', undefined, finding, 'logged');
  }

  /**
   * A tool's result before it is stored for the model: returned as the agent's policy wants it.
   * `blocked` means the turn must go to a person (reason `injection`); the result returned then
   * says only that the output was withheld, so every tool call still has its answer.
   */
  async screenToolResult(
    turn: TurnRecord,
    session: SessionRef,
    tool: string,
    result: ToolResult,
  ): Promise<{ result: ToolResult; blocked: boolean }> {
    const finding = detectInjection(stringsIn(result).join('\n'), 'tool');
    if (!finding.flagged) return { result, blocked: false };
    const policy = this.options.agents.get(session.agent)?.injection_policy ?? 'block';
    const action: InjectionAction =
      policy === 'mark' ? 'marked' : policy === 'strip' ? 'stripped' : 'blocked';
    await this.detected(turn, 'tool', tool, finding, action);
    switch (policy) {
      case 'mark':
        return { result, blocked: false };
      case 'strip':
        return { result: stripInstructions(result), blocked: false };
      case 'block':
        return {
          result: toolError(
            'permanent',
            `withheld: the output of ${tool} tried to instruct the assistant; a person will take over`,
            { retrySafe: false },
          ),
          blocked: true,
        };
    }
  }

  /**
   * A model's completion before its text becomes a reply or its tool calls are dispatched: the
   * refusal to show instead when it carries the session's canary or copies the system prompt.
   */
  async screenCompletion(
    turn: TurnRecord,
    session: SessionRef,
    completion: { text: string; toolCalls: readonly { name: string; arguments: Record<string, unknown> }[] },
  ): Promise<string | undefined> {
    const detector = this.leakDetectors.get(session.agent);
    if (!detector) return undefined;
    const canary = sessionCanary(this.secret, session.sessionId);
    const inReply = detector.find(completion.text, canary);
    if (inReply) return this.leaked(turn, 'reply', inReply);
    for (const call of completion.toolCalls) {
      const inArguments = detector.find(JSON.stringify(call.arguments), canary);
      if (inArguments) return this.leaked(turn, 'tool_arguments', inArguments, call.name);
    }
    return undefined;
  }

  private async detected(
    turn: TurnRecord,
    source: InjectionSource,
    tool: string | undefined,
    finding: InjectionFinding,
    action: InjectionAction,
  ): Promise<void> {
    const security = securityOf(turn);
    if (security.injections.length < MAX_DETECTIONS_PER_TURN) {
      security.injections.push({
        source,
        ...(tool ? { tool } : {}),
        score: finding.score,
        rules: finding.rules,
        action,
      });
    }
    this.options.logger.warn(
      {
        sessionId: turn.sessionId,
        turnId: turn.turnId,
        source,
        tool,
        score: finding.score,
        rules: finding.rules,
        action,
      },
      'prompt injection detected',
    );
    // Feeds agentops_injection_detections_total and the injection-rate alert.
    traceInjectionDetection({
      source,
      attributes: {
        'injection.action': action,
        'injection.score': finding.score,
        ...(tool ? { 'injection.tool': tool } : {}),
      },
    });
    await this.counters.countInjection(source, action);
  }

  private async leaked(turn: TurnRecord, where: LeakPlace, evidence: string, tool?: string): Promise<string> {
    const security = securityOf(turn);
    security.promptLeaks += 1;
    this.options.logger.warn(
      { sessionId: turn.sessionId, turnId: turn.turnId, where, evidence, tool },
      'system prompt leak withheld',
    );
    await this.counters.countLeak(where, evidence);
    return PROMPT_LEAK_REFUSAL;
  }
}

/** The turn's security record, created on its first event. */
function securityOf(turn: TurnRecord): NonNullable<TurnRecord['security']> {
  turn.security ??= { injections: [], promptLeaks: 0 };
  return turn.security;
}
