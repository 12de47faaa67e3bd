import { validateToolArguments } from '@agentops/contracts';
import type { ToolContract, TurnRecord } from '@agentops/core';
import { type Completion, HANDOFF_TOOL } from '@agentops/llm';

/** How a model step's output was unusable. */
export type ModelFailure = 'refusal' | 'unknown_tool' | 'invalid_arguments';

/**
 * Judges one step's output the way the engine will answer it: a refusal, a tool the assistant was
 * not offered (invented or not permitted), or arguments that are not JSON or break the tool's
 * schema. One failed step counts once, however many of its calls are wrong.
 */
export function modelFailureOf(
  completion: Pick<Completion, 'stopReason' | 'toolCalls'>,
  offered: ReadonlySet<string>,
  tools: ReadonlyMap<string, Pick<ToolContract, 'input_schema'>>,
): ModelFailure | undefined {
  if (completion.stopReason === 'refusal') return 'refusal';
  let failure: ModelFailure | undefined;
  for (const call of completion.toolCalls) {
    if (call.name === HANDOFF_TOOL) continue;
    const contract = tools.get(call.name);
    if (!contract || !offered.has(call.name)) return 'unknown_tool';
    if (
      call.invalidArguments !== undefined ||
      !validateToolArguments(contract.input_schema, call.arguments).valid
    ) {
      failure = 'invalid_arguments';
    }
  }
  return failure;
}

/** Failed model steps of this turn so far, from the routing decisions stored on it. */
export function modelFailuresIn(turn: Pick<TurnRecord, 'routing'>): number {
  return turn.routing.filter((decision) => decision.failure !== undefined).length;
}
