import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;

const ajv = addFormats(new Ajv({ allErrors: true, strict: true, coerceTypes: false }));
const compiled = new WeakMap<object, ValidateFunction>();

/** Messages the model can act on, e.g. `order_id: must match pattern "^[A-Z][0-9]{4,}$"`. */
export type ValidationOutcome = { valid: true } | { valid: false; messages: string[] };

/** Compiles a contract's `input_schema`; throws with Ajv's message when the schema itself is wrong. */
export function compileInputSchema(schema: Record<string, unknown>): ValidateFunction {
  const cached = compiled.get(schema);
  if (cached) return cached;
  const validate = ajv.compile(schema);
  compiled.set(schema, validate);
  return validate;
}

export function validateToolArguments(schema: Record<string, unknown>, args: unknown): ValidationOutcome {
  const validate = compileInputSchema(schema);
  if (validate(args)) return { valid: true };
  return { valid: false, messages: (validate.errors ?? []).map(describeError) };
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (error.keyword === 'additionalProperties') {
    return `unexpected argument "${String(error.params.additionalProperty)}"`;
  }
  if (error.keyword === 'required') return `missing argument "${String(error.params.missingProperty)}"`;
  return `${where || 'arguments'}: ${error.message ?? 'is invalid'}`;
}
