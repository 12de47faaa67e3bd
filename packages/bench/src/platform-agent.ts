import type { ApiClient } from '@agentops/client';
import type { AgentUnderTest } from './agent-under-test.ts';

/**
 * The platform as a client sees it: a session per conversation, and each turn posted with
 * `?wait=30`, which answers once the turn has ended.
 */
export function platformAgent(client: ApiClient): AgentUnderTest {
  return {
    name: 'platform',
    async openSession(index) {
      const session = await client.createSession({ userId: `bench-user-${index % 1000}` });
      return session.sessionId;
    },
    async turn(sessionId, message, expectTool) {
      const response = await client.request<{
        status: string;
        toolCalls?: { status: string; attempts: number }[];
      }>('POST', `/v1/sessions/${sessionId}/turns?wait=30`, { body: { message } });
      const turn = response.body;
      if (response.status !== 200 || turn.status !== 'completed') return false;
      const calls = turn.toolCalls ?? [];
      // A cached result (attempts 0) would not have called the tool: every one-tool turn must have.
      return expectTool
        ? calls.length > 0 && calls.every((call) => call.status === 'success' && call.attempts >= 1)
        : calls.length === 0;
    },
  };
}
