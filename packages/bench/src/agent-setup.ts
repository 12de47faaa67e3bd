import { loadContracts } from '@agentops/contracts';
import type { ModelSpec, ToolResult } from '@agentops/core';
import { SimModel, type ToolDefinition } from '@agentops/llm';
import { callHttpTool, findBuiltinTool } from '@agentops/tools';
import { toolDefinitions } from '@agentops/turn-engine';

/** What every system under test shares: the agent's prompt and tools, the sim, the demo backend. */
export interface AgentSetup {
  system: string;
  tools: ToolDefinition[];
  model: ModelSpec;
  sim: SimModel;
  /** Runs a tool the way the tool worker does: the built-in tool's HTTP call under its timeout. */
  callTool(name: string, args: Record<string, unknown>): Promise<ToolResult>;
}

/**
 * The references run the platform's `support` agent (system prompt and tool definitions from
 * contracts/), on the same `sim-small` model at 0 ms, with the same HTTP tool code, so that what
 * differs is only what sits around the model and the tool.
 */
export function agentSetup(demoUrl: string): AgentSetup {
  const contracts = loadContracts();
  const profile = contracts.agents.get('support');
  const model = contracts.models.find((spec) => spec.id === 'sim-small');
  if (!profile || !model) throw new Error('contracts/ has no support agent or no sim-small model');
  return {
    system: profile.system_prompt,
    tools: toolDefinitions(profile.tools, contracts.tools),
    model,
    sim: new SimModel({ latencyMs: 0 }),
    async callTool(name, args) {
      const tool = findBuiltinTool(name);
      const contract = contracts.tools.get(name);
      if (!tool || !contract) throw new Error(`no tool ${name}`);
      const { result } = await callHttpTool(tool, args, {
        baseUrl: demoUrl,
        timeoutMs: contract.timeout_seconds * 1000,
      });
      return result;
    },
  };
}
