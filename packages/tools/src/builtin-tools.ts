/**
 * The built-in tools. Each one only says which HTTP request it makes and what of the answer the
 * model may see; timeouts, error mapping, retries and every other rule come from its contract and
 * are applied by the executor, the same way for every tool.
 */
export interface HttpRequestSpec {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

export interface BuiltinTool {
  name: string;
  toRequest(args: Record<string, unknown>): HttpRequestSpec;
  /** Picks what the model may see of a successful answer. */
  toData(body: unknown): unknown;
}

const text = (value: unknown) => encodeURIComponent(String(value ?? ''));

export const BUILTIN_TOOLS: readonly BuiltinTool[] = [
  {
    name: 'get_order_status',
    toRequest: (args) => ({ method: 'GET', path: `/orders/${text(args.order_id)}` }),
    toData: (body) => body,
  },
  {
    name: 'search_docs',
    toRequest: (args) => ({ method: 'GET', path: `/docs/search?q=${text(args.query)}` }),
    toData: (body) => body,
  },
  {
    name: 'send_email',
    toRequest: (args) => ({
      method: 'POST',
      path: '/emails',
      body: { to: args.to, subject: args.subject, body: args.body },
    }),
    toData: (body) => body,
  },
  {
    name: 'issue_refund',
    toRequest: (args) => ({
      method: 'POST',
      path: `/orders/${text(args.order_id)}/refunds`,
      body: { amount_usd: args.amount_usd, reason: args.reason },
    }),
    toData: (body) => body,
  },
];

export const BUILTIN_TOOL_NAMES: readonly string[] = BUILTIN_TOOLS.map((tool) => tool.name);

export function findBuiltinTool(name: string): BuiltinTool | undefined {
  return BUILTIN_TOOLS.find((tool) => tool.name === name);
}
