import type { ConfirmationStore } from '@agentops/confirmations';
import { hashArguments } from '@agentops/confirmations';
import { type ContractSet, sessionScopes, validateToolArguments } from '@agentops/contracts';
import {
  needsConfirmation,
  type ToolContract,
  type ToolJobData,
  type ToolResult,
  toolError,
} from '@agentops/core';
import type { SessionStore } from '@agentops/sessions';
import { traceBreakerTransition } from '@agentops/telemetry';
import { findBuiltinTool } from './builtin-tools.ts';
import { callHttpTool } from './http-call.ts';
import { orderCollection } from './ordering.ts';
import type { BreakerTransition, ToolGuards } from './tool-guards.ts';

/** What a tool job returns to the turn that asked for it. Kept small: Bull Board shows it. */
export interface ToolCallOutcome {
  result: ToolResult;
  attempt: number;
  cached: boolean;
  httpStatus?: number;
  breaker?: BreakerTransition;
  /** Set when the same call should be tried again after a backoff (transient error, attempts left). */
  retry?: { afterMs?: number; rateLimited: boolean };
}

export interface ToolExecutorDeps {
  contracts: ContractSet;
  sessions: SessionStore;
  confirmations: ConfirmationStore;
  guards: ToolGuards;
  backendUrl: string;
}

/**
 * Runs one tool call under its contract. Every check that decides whether a side effect may happen
 * is made here, in the tool worker, on data read from Redis, never on the model's word (complete
 * mediation): permission, arguments, confirmation, per-session cap, breaker; then the call itself.
 */
export class ToolExecutor {
  private readonly deps: ToolExecutorDeps;

  constructor(deps: ToolExecutorDeps) {
    this.deps = deps;
  }

  async execute(call: ToolJobData, jobId: string, signal?: AbortSignal): Promise<ToolCallOutcome> {
    const refused = (result: ToolResult): ToolCallOutcome => ({ result, attempt: 0, cached: false });
    const { contracts, sessions, confirmations, guards } = this.deps;

    const contract = contracts.tools.get(call.tool);
    const tool = findBuiltinTool(call.tool);
    if (!contract || !tool) return refused(unknownToolResult(call.tool, [...contracts.tools.keys()]));

    const session = await sessions.getSession(call.sessionId);
    if (!session)
      return refused(toolError('permanent', 'this conversation no longer exists', { retrySafe: false }));
    const profile = contracts.agents.get(session.agent);
    if (
      !profile?.tools.includes(contract.name) ||
      !sessionScopes(contracts, session.tenant, session.agent).has(contract.auth_scope)
    ) {
      return refused(
        toolError('permanent', `${contract.name} is not permitted for this assistant`, { retrySafe: false }),
      );
    }

    const validation = validateToolArguments(contract.input_schema, call.arguments);
    if (!validation.valid) return refused(invalidArgumentsResult(contract.name, validation.messages));

    if (needsConfirmation(contract.side_effects)) {
      if (!call.confirmationId) {
        return refused(
          toolError('permanent', `${contract.name} needs the user's confirmation`, { retrySafe: false }),
        );
      }
      const claim = await confirmations.claimExecution(call.confirmationId, {
        tool: contract.name,
        sessionId: call.sessionId,
        arguments: call.arguments,
      });
      if (claim.kind === 'done') return { result: claim.result, attempt: 0, cached: true };
      if (claim.kind === 'refused') {
        return refused(
          toolError('permanent', `${contract.name} was not run: ${claim.reason}`, { retrySafe: false }),
        );
      }
    }

    const argsHash = hashArguments(call.arguments);
    const admission = await guards.admitCall(call.sessionId, contract, {
      callId: call.callId,
      jobId,
      argsHash,
    });
    if (admission.kind === 'capped') {
      return refused(
        toolError(
          'permanent',
          `limit reached: ${contract.name} may be called at most ${contract.max_calls_per_session} times per conversation`,
          { retrySafe: false },
        ),
      );
    }
    if (admission.kind === 'cached') return { result: admission.result, attempt: 0, cached: true };
    if (admission.kind === 'open') return refused(circuitOpenResult(contract.name, admission.retryAtMs));
    if (admission.probe) traceBreakerTransition({ scope: 'tool', key: contract.name, transition: 'probe' });

    const attempt = admission.attempt;
    const { result: raw, httpStatus } = await callHttpTool(tool, call.arguments, {
      baseUrl: this.deps.backendUrl,
      timeoutMs: contract.timeout_seconds * 1000,
      ...(call.confirmationId ? { idempotencyKey: call.confirmationId } : {}),
      ...(signal ? { signal } : {}),
    });
    const result =
      raw.status === 'success' ? { ...raw, data: orderCollection(raw.data, contract.order_by) } : raw;

    // Only a transient failure says the service is unwell; a refusal or a 429 means it answered.
    const failed = result.status === 'error' && result.error_type === 'transient';
    const breaker = await guards.recordCall(
      contract,
      { sessionId: call.sessionId, argsHash },
      {
        failed,
        reason: result.message,
        ...(result.status === 'success' && contract.idempotent ? { resultToCache: result } : {}),
      },
    );
    if (breaker !== 'none') {
      traceBreakerTransition({
        scope: 'tool',
        key: contract.name,
        transition: breaker,
        reason: result.message,
      });
    }

    if (call.confirmationId) await confirmations.completeExecution(call.confirmationId, result);

    const outcome: ToolCallOutcome = {
      result,
      attempt,
      cached: false,
      breaker,
      ...(httpStatus ? { httpStatus } : {}),
    };
    if (shouldRetry(contract, result, attempt)) {
      outcome.retry = {
        rateLimited: result.error_type === 'rate_limit',
        ...(result.retry_after_ms === undefined ? {} : { afterMs: result.retry_after_ms }),
      };
    }
    return outcome;
  }
}

/** Only retry-safe errors of idempotent tools, and only while the contract's attempts last. */
function shouldRetry(contract: ToolContract, result: ToolResult, attempt: number): boolean {
  return (
    result.status === 'error' &&
    result.retry_safe &&
    contract.idempotent &&
    contract.retry_policy.strategy !== 'none' &&
    attempt < contract.retry_policy.max_attempts
  );
}

export function unknownToolResult(name: string, available: string[]): ToolResult {
  return toolError(
    'permanent',
    `there is no tool named "${name.slice(0, 64)}"; the tools you may call are: ${available.join(', ')}`,
    { retrySafe: false },
  );
}

export function invalidArgumentsResult(tool: string, messages: string[]): ToolResult {
  return toolError('permanent', `invalid arguments for ${tool}: ${messages.slice(0, 5).join('; ')}`, {
    retrySafe: false,
  });
}

function circuitOpenResult(tool: string, retryAtMs: number): ToolResult {
  const seconds = Math.max(1, Math.ceil((retryAtMs - Date.now()) / 1000));
  return {
    ...toolError(
      'circuit_open',
      `${tool} is failing and has been paused for about ${seconds}s; do not retry it now`,
      {
        retrySafe: false,
      },
    ),
  };
}
