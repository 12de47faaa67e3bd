import type { PromptMessage } from '@agentops/llm';
import { AIMessage, type BaseMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { END, MemorySaver, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import type { AgentSetup } from './agent-setup.ts';
import type { AgentUnderTest } from './agent-under-test.ts';

/**
 * The framework reference: a LangGraph.js agent graph (an `agent` node and a `tools` node, the
 * shape of its ReAct agent) with the in-memory checkpointer, one thread per session. The nodes call
 * the sim and the HTTP tool directly, not through a LangChain chat-model wrapper: that is the
 * least LangGraph can cost, so the comparison is against its fastest form.
 */
export function langGraphAgent(setup: AgentSetup): AgentUnderTest & { checkpointer: MemorySaver } {
  const checkpointer = new MemorySaver();
  const graph = new StateGraph(MessagesAnnotation)
    .addNode('agent', async (state) => {
      const completion = await setup.sim.complete({
        model: setup.model,
        system: setup.system,
        messages: toPrompt(state.messages),
        tools: setup.tools,
        maxOutputTokens: setup.model.max_output_tokens,
      });
      return {
        messages: [
          new AIMessage({
            content: completion.text,
            tool_calls: completion.toolCalls.map((call) => ({
              id: call.id,
              name: call.name,
              args: call.arguments,
              type: 'tool_call' as const,
            })),
          }),
        ],
      };
    })
    .addNode('tools', async (state) => {
      const last = state.messages.at(-1);
      const calls = last && AIMessage.isInstance(last) ? (last.tool_calls ?? []) : [];
      const results = await Promise.all(calls.map((call) => setup.callTool(call.name, call.args)));
      return {
        messages: calls.map(
          (call, index) =>
            new ToolMessage({
              content: JSON.stringify(results[index]),
              tool_call_id: call.id ?? '',
              name: call.name,
              status: results[index]?.status === 'success' ? 'success' : 'error',
            }),
        ),
      };
    })
    .addEdge(START, 'agent')
    .addConditionalEdges(
      'agent',
      (state) => {
        const last = state.messages.at(-1);
        return last && AIMessage.isInstance(last) && last.tool_calls?.length ? 'tools' : END;
      },
      ['tools', END],
    )
    .addEdge('tools', 'agent')
    .compile({ checkpointer });

  return {
    name: 'LangGraph.js',
    checkpointer,
    async openSession(index) {
      return `langgraph-${index}`;
    },
    async turn(sessionId, message, expectTool) {
      const state = await graph.invoke(
        { messages: [new HumanMessage(message)] },
        { configurable: { thread_id: sessionId } },
      );
      // What this turn added: everything after its own user message, the last human one.
      const asked = state.messages.findLastIndex((entry) => HumanMessage.isInstance(entry));
      const added = state.messages.slice(asked + 1);
      const tools = added.filter((entry) => ToolMessage.isInstance(entry));
      const last = added.at(-1);
      const answered = last !== undefined && AIMessage.isInstance(last) && !last.tool_calls?.length;
      return answered && expectTool === tools.length > 0 && tools.every((tool) => tool.status === 'success');
    },
  };
}

/** The graph's LangChain messages as the sim's prompt. */
function toPrompt(messages: BaseMessage[]): PromptMessage[] {
  return messages.map((message): PromptMessage => {
    if (AIMessage.isInstance(message)) {
      const toolCalls = (message.tool_calls ?? []).map((call) => ({
        id: call.id ?? '',
        name: call.name,
        arguments: call.args,
      }));
      return { role: 'assistant', content: textOf(message), ...(toolCalls.length ? { toolCalls } : {}) };
    }
    if (ToolMessage.isInstance(message)) {
      return {
        role: 'tool',
        toolCallId: message.tool_call_id,
        name: message.name ?? '',
        content: textOf(message),
      };
    }
    return { role: 'user', content: textOf(message) };
  });
}

function textOf(message: BaseMessage): string {
  return typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
}
