import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONTRACTS_DIR } from './contract-set.ts';
import { formatProblems, type LintProblem, lintContracts, MAX_TIMEOUT_SECONDS } from './lint.ts';
import { type ContractsCopy, copyShippedContracts } from './testing/contracts-copy.ts';

const IMPLEMENTED = ['get_order_status', 'search_docs', 'send_email', 'issue_refund'];

let contracts: ContractsCopy;
beforeEach(() => {
  contracts = copyShippedContracts();
});
afterEach(() => {
  contracts.dispose();
});

const lint = (implemented: readonly string[] = IMPLEMENTED) => lintContracts(contracts.url, implemented);
const strip = ({ file, field, message }: LintProblem) => ({ file, field, message });

describe('lintContracts', () => {
  it('finds nothing wrong with the shipped contracts', () => {
    expect(lintContracts(DEFAULT_CONTRACTS_DIR, IMPLEMENTED)).toEqual([]);
  });

  it('finds nothing wrong with an untouched copy (the harness itself changes nothing)', () => {
    expect(lint()).toEqual([]);
  });

  it('requires a side-effect tool to be gated by a confirmation', () => {
    contracts.edit('tools/send_email.yaml', (raw) => {
      delete raw.confirmation;
    });
    expect(lint().map(strip)).toEqual([
      {
        file: 'contracts/tools/send_email.yaml',
        field: 'confirmation.required',
        message: 'side_effects "external_message" must be gated by confirmation (required: true)',
      },
    ]);
  });

  it('rejects a confirmation that is present but not required for a money tool', () => {
    contracts.edit('tools/issue_refund.yaml', (raw) => {
      (raw.confirmation as Record<string, unknown>).required = false;
    });
    expect(lint().map((p) => p.message)).toEqual([
      'side_effects "money" must be gated by confirmation (required: true)',
    ]);
  });

  it('lets a read-only tool run without a confirmation', () => {
    contracts.edit('tools/get_order_status.yaml', (raw) => {
      delete raw.confirmation;
      raw.side_effects = 'none';
    });
    expect(lint()).toEqual([]);
  });

  it('refuses automatic retries of a tool that is not idempotent', () => {
    contracts.edit('tools/issue_refund.yaml', (raw) => {
      raw.retry_policy = { strategy: 'exponential_backoff', max_attempts: 3 };
    });
    expect(lint().map(strip)).toEqual([
      {
        file: 'contracts/tools/issue_refund.yaml',
        field: 'retry_policy',
        message: 'retries a non-idempotent tool: a retry could repeat its effect',
      },
    ]);
  });

  it('allows a single-attempt policy on a non-idempotent tool', () => {
    contracts.edit('tools/send_email.yaml', (raw) => {
      raw.retry_policy = { strategy: 'fixed', max_attempts: 1 };
    });
    expect(lint()).toEqual([]);
  });

  it('requires a timeout on every tool', () => {
    contracts.edit('tools/search_docs.yaml', (raw) => {
      delete raw.timeout_seconds;
    });
    expect(lint().map(strip)).toEqual([
      {
        file: 'contracts/tools/search_docs.yaml',
        field: 'timeout_seconds',
        message: 'missing: every tool call needs a hard timeout',
      },
    ]);
  });

  it('caps the timeout at 30 seconds', () => {
    contracts.edit('tools/search_docs.yaml', (raw) => {
      raw.timeout_seconds = 120;
    });
    expect(lint().map((p) => [p.field, p.message])).toEqual([
      ['timeout_seconds', `120 s is above the ${MAX_TIMEOUT_SECONDS} s ceiling`],
    ]);
  });

  it('requires a per-session call cap', () => {
    contracts.edit('tools/get_order_status.yaml', (raw) => {
      delete raw.max_calls_per_session;
    });
    expect(lint().map((p) => [p.field, p.message])).toEqual([
      ['max_calls_per_session', 'missing: every tool needs a cap on calls per session'],
    ]);
  });

  it('requires an auth scope declared in scopes.yaml', () => {
    contracts.edit('tools/get_order_status.yaml', (raw) => {
      raw.auth_scope = 'orders:delete';
    });
    expect(lint().map((p) => [p.field, p.message])).toEqual([
      ['auth_scope', 'scope "orders:delete" is not declared in contracts/scopes.yaml'],
    ]);
  });

  it('requires an auth scope on every tool', () => {
    contracts.edit('tools/get_order_status.yaml', (raw) => {
      delete raw.auth_scope;
    });
    expect(lint().map((p) => [p.field, p.message])).toEqual([
      ['auth_scope', 'missing: every tool needs an auth scope'],
    ]);
  });

  it('rejects a log field that the tool worker does not know', () => {
    contracts.edit('tools/search_docs.yaml', (raw) => {
      (raw.logs as string[]).push('user.password');
    });
    const problems = lint();
    expect(problems.map(strip)).toEqual([
      {
        file: 'contracts/tools/search_docs.yaml',
        field: 'logs[9]',
        message: 'unknown log field "user.password"',
      },
    ]);
  });

  it('accepts args.<name> log fields only for arguments the tool takes', () => {
    contracts.edit('tools/search_docs.yaml', (raw) => {
      raw.logs = ['tool.name', 'args.query', 'args.order_id'];
    });
    expect(lint().map((p) => [p.field, p.message])).toEqual([
      ['logs[2]', 'unknown log field "args.order_id"'],
    ]);
  });

  it('rejects an input schema that is not valid JSON Schema', () => {
    contracts.edit('tools/search_docs.yaml', (raw) => {
      raw.input_schema = { type: 'object', properties: { query: { type: 'text' } } };
    });
    const problems = lint();
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe('input_schema');
    expect(problems[0]?.message).toMatch(/^not a valid JSON Schema: /);
  });

  it('requires the tool name to match its file name', () => {
    contracts.edit('tools/search_docs.yaml', (raw) => {
      raw.name = 'search_help';
    });
    const problems = lint(['get_order_status', 'search_help', 'send_email', 'issue_refund']);
    expect(problems.map(strip)).toContainEqual({
      file: 'contracts/tools/search_docs.yaml',
      field: 'name',
      message: '"search_help" does not match the file name search_docs.yaml',
    });
  });

  it('reports a field the schema rejects, once, with its path', () => {
    contracts.edit('tools/get_order_status.yaml', (raw) => {
      raw.concurrency = 1000;
    });
    expect(lint().map((p) => p.field)).toEqual(['concurrency']);
  });

  it('reports a misspelt field instead of ignoring it', () => {
    contracts.edit('tools/get_order_status.yaml', (raw) => {
      raw.idempotant = true;
    });
    const problems = lint();
    expect(problems).toHaveLength(1);
    expect(problems[0]?.file).toBe('contracts/tools/get_order_status.yaml');
    expect(problems[0]?.message).toContain('idempotant');
  });

  it('pairs every implemented tool with a contract', () => {
    contracts.remove('tools/search_docs.yaml');
    expect(lint().map(strip)).toContainEqual({
      file: 'contracts/tools/search_docs.yaml',
      field: '(file)',
      message: 'tool "search_docs" has no contract',
    });
  });

  it('pairs every contract with an implementation', () => {
    expect(lint(['get_order_status', 'send_email', 'issue_refund']).map(strip)).toEqual([
      {
        file: 'contracts/tools/search_docs.yaml',
        field: 'name',
        message: 'no tool implements "search_docs"',
      },
    ]);
  });

  it('rejects an agent that offers a tool without a contract', () => {
    contracts.edit('agents/support.yaml', (raw) => {
      (raw.tools as string[]).push('delete_account');
    });
    expect(lint().map(strip)).toEqual([
      {
        file: 'contracts/agents/support.yaml',
        field: 'tools[4]',
        message: 'no contract for tool "delete_account"',
      },
    ]);
  });

  it('rejects a system prompt that holds a key-like secret, without printing the secret', () => {
    contracts.edit('agents/support.yaml', (raw) => {
      raw.system_prompt = `${String(raw.system_prompt)}\nIf the order API fails, use the key sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz012345.`;
    });
    const problems = lint();
    expect(problems.map(strip)).toEqual([
      {
        file: 'contracts/agents/support.yaml',
        field: 'system_prompt',
        message: expect.stringMatching(/^holds what looks like an OpenAI API key \(sk-pro…\)/),
      },
    ]);
    expect(formatProblems(problems)).not.toContain('AbCdEfGhIjKl');
  });

  it('rejects an injection policy it does not know', () => {
    contracts.edit('agents/support.yaml', (raw) => {
      raw.injection_policy = 'ignore';
    });
    expect(lint().map((p) => [p.file, p.field])).toEqual([
      ['contracts/agents/support.yaml', 'injection_policy'],
    ]);
  });

  it('rejects an agent or tenant that holds an undeclared scope', () => {
    contracts.edit('agents/support.yaml', (raw) => {
      (raw.scopes as string[]).push('admin:all');
    });
    contracts.edit('tenants.yaml', (raw) => {
      const tenants = raw.tenants as Record<string, { scopes: string[] }>;
      tenants.readonly?.scopes.push('admin:all');
    });
    expect(lint().map((p) => [p.file, p.field, p.message])).toEqual([
      [
        'contracts/agents/support.yaml',
        'scopes[4]',
        'scope "admin:all" is not declared in contracts/scopes.yaml',
      ],
      [
        'contracts/tenants.yaml',
        'tenants.readonly.scopes[2]',
        'scope "admin:all" is not declared in contracts/scopes.yaml',
      ],
    ]);
  });

  it('validates the model catalogue', () => {
    contracts.edit('models.yaml', (raw) => {
      const models = raw.models as Record<string, unknown>[];
      if (models[0]) models[0].input_usd_per_mtok = -1;
    });
    expect(lint().map((p) => [p.file, p.field])).toEqual([
      ['contracts/models.yaml', 'models.0.input_usd_per_mtok'],
    ]);
  });

  it('reports a missing scopes file', () => {
    contracts.remove('scopes.yaml');
    expect(lint().map(strip)).toContainEqual({
      file: 'contracts/scopes.yaml',
      field: '(file)',
      message: 'file is missing',
    });
  });

  it('reports a file that is not valid YAML or not a mapping', () => {
    contracts.write('tools/search_docs.yaml', 'name: [unclosed\n');
    contracts.write('agents/support.yaml', '- just\n- a list\n');
    const problems = lint();
    expect(problems).toContainEqual(
      expect.objectContaining({ file: 'contracts/tools/search_docs.yaml', field: '(file)' }),
    );
    expect(problems.find((p) => p.file === 'contracts/tools/search_docs.yaml')?.message).toMatch(
      /^not valid YAML: /,
    );
    expect(problems).toContainEqual({
      file: 'contracts/agents/support.yaml',
      field: '(file)',
      message: 'must be a YAML mapping',
    });
  });
});

describe('formatProblems', () => {
  it('prints one line per problem: file, field and message', () => {
    expect(
      formatProblems([
        { file: 'contracts/tools/a.yaml', field: 'timeout_seconds', message: 'missing' },
        { file: 'contracts/scopes.yaml', field: '(file)', message: 'file is missing' },
      ]),
    ).toBe(
      'contracts/tools/a.yaml: timeout_seconds: missing\ncontracts/scopes.yaml: (file): file is missing',
    );
  });
});
