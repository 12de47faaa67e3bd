import type { PromptMessage } from '@agentops/llm';
import type { AgentSetup } from './agent-setup.ts';
import type { AgentUnderTest } from './agent-under-test.ts';

const MAX_STEPS = 8;

/**
 * The floor: a plain in-process agent loop, as one writes it on a raw SDK. The conversation is an
 * array in memory; the model is called, its tool calls are run, and again, until it answers.
 */
export function plainLoop(setup: AgentSetup): AgentUnderTest & { sessionCount(): number } {
  const sessions = new Map<string, PromptMessage[]>();
  return {
    name: 'in-process loop',
    sessionCount: () => sessions.size,
    async openSession(index) {
      const id = `plain-${index}`;
      sessions.set(id, []);
      return id;
    },
    async turn(sessionId, message, expectTool) {
      const messages = sessions.get(sessionId);
      if (!messages) return false;
      messages.push({ role: 'user', content: message });
      let toolCalls = 0;
      let toolsSucceeded = true;
      for (let step = 0; step < MAX_STEPS; step++) {
        const completion = await setup.sim.complete({
          model: setup.model,
          system: setup.system,
          messages,
          tools: setup.tools,
          maxOutputTokens: setup.model.max_output_tokens,
        });
        messages.push({
          role: 'assistant',
          content: completion.text,
          ...(completion.toolCalls.length ? { toolCalls: completion.toolCalls } : {}),
        });
        if (completion.toolCalls.length === 0) return toolsSucceeded && expectTool === toolCalls > 0;
        const results = await Promise.all(
          completion.toolCalls.map((call) => setup.callTool(call.name, call.arguments)),
        );
        completion.toolCalls.forEach((call, index) => {
          toolCalls++;
          if (results[index]?.status !== 'success') toolsSucceeded = false;
          messages.push({
            role: 'tool',
            toolCallId: call.id,
            name: call.name,
            content: JSON.stringify(results[index]),
          });
        });
      }
      return false;
    },
  };
}
