import { describe, expect, it } from 'vitest';
import { loadContracts } from './contract-set.ts';
import { compileInputSchema, validateToolArguments } from './input-validation.ts';

const { tools } = loadContracts();
const schemaOf = (name: string) => {
  const contract = tools.get(name);
  if (!contract) throw new Error(`no contract ${name}`);
  return contract.input_schema;
};

describe('validateToolArguments', () => {
  it('accepts arguments that match the contract', () => {
    expect(validateToolArguments(schemaOf('get_order_status'), { order_id: 'A1001' })).toEqual({
      valid: true,
    });
    expect(
      validateToolArguments(schemaOf('issue_refund'), {
        order_id: 'A1001',
        amount_usd: 12.5,
        reason: 'broken',
      }),
    ).toEqual({ valid: true });
  });

  it('names the field and the rule it broke', () => {
    expect(validateToolArguments(schemaOf('get_order_status'), { order_id: 'a1' })).toEqual({
      valid: false,
      messages: ['order_id: must match pattern "^[A-Z][0-9]{4,}$"'],
    });
  });

  it('names a missing argument', () => {
    expect(validateToolArguments(schemaOf('get_order_status'), {})).toEqual({
      valid: false,
      messages: ['missing argument "order_id"'],
    });
  });

  it('names an argument the tool does not take', () => {
    expect(validateToolArguments(schemaOf('get_order_status'), { order_id: 'A1001', admin: true })).toEqual({
      valid: false,
      messages: ['unexpected argument "admin"'],
    });
  });

  it('reports every problem at once', () => {
    const outcome = validateToolArguments(schemaOf('issue_refund'), { order_id: 'A1001', amount_usd: -5 });
    expect(outcome).toEqual({
      valid: false,
      messages: expect.arrayContaining(['missing argument "reason"', 'amount_usd: must be > 0']),
    });
  });

  it('checks formats such as email addresses', () => {
    const outcome = validateToolArguments(schemaOf('send_email'), {
      to: 'not-an-address',
      subject: 's',
      body: 'b',
    });
    expect(outcome).toEqual({ valid: false, messages: ['to: must match format "email"'] });
  });

  it('does not coerce types: a number is not a string', () => {
    expect(validateToolArguments(schemaOf('get_order_status'), { order_id: 1001 })).toEqual({
      valid: false,
      messages: ['order_id: must be string'],
    });
  });

  it('gives the full path of a nested field', () => {
    const schema = {
      type: 'object',
      properties: {
        address: {
          type: 'object',
          properties: { lines: { type: 'array', items: { type: 'string' } } },
        },
      },
    };
    expect(validateToolArguments(schema, { address: { lines: ['1 Main St', 42] } })).toEqual({
      valid: false,
      messages: ['address.lines.1: must be string'],
    });
  });

  it('says "arguments" when the whole value is wrong', () => {
    expect(validateToolArguments(schemaOf('get_order_status'), 'A1001')).toEqual({
      valid: false,
      messages: ['arguments: must be object'],
    });
  });
});

describe('compileInputSchema', () => {
  it('throws on a schema with an unknown keyword (strict mode)', () => {
    expect(() => compileInputSchema({ type: 'object', requird: ['x'] })).toThrow(/unknown keyword/);
  });

  it('compiles each schema object once', () => {
    const schema = { type: 'object' };
    expect(compileInputSchema(schema)).toBe(compileInputSchema(schema));
  });
});
