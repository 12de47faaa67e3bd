import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ContractError,
  contractsDir,
  DEFAULT_CONTRACTS_DIR,
  loadContracts,
  renderConfirmationSummary,
  sessionScopes,
} from './contract-set.ts';
import { type ContractsCopy, copyShippedContracts } from './testing/contracts-copy.ts';

describe('loadContracts', () => {
  it('loads the shipped contracts: four tools, the support and faq agents, scopes, tenants and models', () => {
    const set = loadContracts();
    expect([...set.tools.keys()].sort()).toEqual([
      'get_order_status',
      'issue_refund',
      'search_docs',
      'send_email',
    ]);
    expect([...set.agents.keys()]).toEqual(['faq', 'support']);
    expect([...set.scopes.keys()].sort()).toEqual([
      'docs:read',
      'email:send',
      'orders:read',
      'refunds:write',
    ]);
    expect(set.tenantScopes.get('readonly')).toEqual(['orders:read', 'docs:read']);
    expect(set.models.map((model) => model.id)).toEqual(expect.arrayContaining(['sim-small', 'sim-large']));
    expect(new Set(set.models.map((model) => model.provider))).toEqual(
      new Set(['sim', 'anthropic', 'openai', 'openai_compatible']),
    );
  });

  it('gates every shipped tool with side effects behind a confirmation and no retries', () => {
    const { tools } = loadContracts();
    for (const name of ['send_email', 'issue_refund']) {
      const contract = tools.get(name);
      expect(contract?.confirmation?.required).toBe(true);
      expect(contract?.retry_policy).toMatchObject({ strategy: 'none', max_attempts: 1 });
      expect(contract?.idempotent).toBe(false);
    }
  });

  it('orders the shipped docs search by score, then doc id', () => {
    expect(loadContracts().tools.get('search_docs')?.order_by).toBe('-score,doc_id');
  });

  describe('with a broken contract', () => {
    let contracts: ContractsCopy;
    beforeEach(() => {
      contracts = copyShippedContracts();
    });
    afterEach(() => {
      contracts.dispose();
    });

    it('stops with a ContractError that names the file and the field', () => {
      contracts.edit('tools/get_order_status.yaml', (raw) => {
        raw.timeout_seconds = 'soon';
      });
      expect(() => loadContracts(contracts.url)).toThrow(ContractError);
      expect(() => loadContracts(contracts.url)).toThrow(
        /^contracts\/tools\/get_order_status\.yaml: timeout_seconds: /,
      );
    });

    it('names a file that is not YAML', () => {
      contracts.write('models.yaml', 'models: [\n');
      expect(() => loadContracts(contracts.url)).toThrow(/^contracts\/models\.yaml: not valid YAML/);
    });
  });
});

describe('contractsDir', () => {
  it('uses the shipped folder when no override is given', () => {
    expect(contractsDir(undefined)).toBe(DEFAULT_CONTRACTS_DIR);
    expect(contractsDir('')).toBe(DEFAULT_CONTRACTS_DIR);
  });

  it('resolves an override as a folder, relative to the working directory', () => {
    expect(contractsDir('/etc/agentops/contracts').href).toBe('file:///etc/agentops/contracts/');
    expect(contractsDir('my-contracts').href).toBe(new URL('my-contracts/', `file://${process.cwd()}/`).href);
  });
});

describe('sessionScopes', () => {
  const set = loadContracts();

  it('grants the scopes both the tenant and the agent hold', () => {
    expect([...sessionScopes(set, 'readonly', 'support')].sort()).toEqual(['docs:read', 'orders:read']);
  });

  it('gives an unlisted tenant the default scopes', () => {
    expect(sessionScopes(set, 'acme', 'support').has('refunds:write')).toBe(true);
  });

  it('grants nothing to an unknown agent', () => {
    expect(sessionScopes(set, 'default', 'intruder').size).toBe(0);
  });
});

describe('renderConfirmationSummary', () => {
  const shipped = loadContracts().tools;
  const summaryOf = (tool: string) => shipped.get(tool)?.confirmation?.summary ?? '';

  it('shows the real arguments the tool will use, in the shipped summaries', () => {
    expect(renderConfirmationSummary(summaryOf('issue_refund'), { amount_usd: 48, order_id: 'A1001' })).toBe(
      'Refund $48 for order A1001',
    );
    expect(
      renderConfirmationSummary(summaryOf('send_email'), {
        to: 'bob@example.com',
        subject: 'Invoice',
        body: 'hi',
      }),
    ).toBe('Send an email to bob@example.com with the subject "Invoice"');
  });

  it('says when an argument was not given', () => {
    expect(renderConfirmationSummary(summaryOf('issue_refund'), { order_id: 'A1001' })).toBe(
      'Refund $(not given) for order A1001',
    );
  });

  it('shows structured values as JSON', () => {
    expect(renderConfirmationSummary('Items: {items}', { items: ['MUG-01', 2] })).toBe('Items: ["MUG-01",2]');
  });

  it('shortens a long value to 200 characters', () => {
    const summary = renderConfirmationSummary('Body: {body}', { body: 'x'.repeat(500) });
    expect(summary).toBe(`Body: ${'x'.repeat(200)}…`);
  });

  it('does not expand placeholders that arrive inside an argument', () => {
    expect(
      renderConfirmationSummary('Send an email to {to} with the subject "{subject}"', {
        to: '{subject}',
        subject: 'Hello',
      }),
    ).toBe('Send an email to {subject} with the subject "Hello"');
  });
});
