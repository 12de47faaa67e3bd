import type { Response } from 'express';
import type { z } from 'zod';

export interface ProblemFieldError {
  path: string;
  message: string;
}

/** An RFC 9457 problem document, the body of every error the API answers. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: ProblemFieldError[];
}

const PROBLEM_TYPE_BASE = 'https://agentops.dev/problems/';

/**
 * A refusal the client caused or must react to. Thrown by handlers and turned into problem JSON
 * by the app's error handler; anything else thrown becomes a 500 that names no internals.
 */
export class ProblemError extends Error {
  readonly status: number;
  readonly slug: string;
  readonly title: string;
  readonly errors?: ProblemFieldError[];
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    slug: string,
    title: string,
    detail: string,
    extra: { errors?: ProblemFieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.errors = extra.errors;
    this.headers = extra.headers ?? {};
  }

  toDocument(): ProblemDocument {
    const document: ProblemDocument = {
      type: PROBLEM_TYPE_BASE + this.slug,
      title: this.title,
      status: this.status,
      detail: this.message,
    };
    if (this.errors) document.errors = this.errors;
    return document;
  }
}

export const problems = {
  validation: (errors: ProblemFieldError[], what = 'request body') =>
    new ProblemError(400, 'validation', 'Invalid request', `The ${what} is not valid: see errors.`, {
      errors,
    }),
  unauthorized: () =>
    new ProblemError(
      401,
      'unauthorized',
      'Unauthorized',
      'Send a valid API key as "Authorization: Bearer <key>".',
      {
        headers: { 'WWW-Authenticate': 'Bearer' },
      },
    ),
  forbidden: (role: string) =>
    new ProblemError(403, 'forbidden', 'Forbidden', `This API key's role (${role}) may not do this.`),
  notFound: (what: string) => new ProblemError(404, 'not-found', 'Not found', `${what} does not exist.`),
  conflict: (slug: string, detail: string) => new ProblemError(409, slug, 'Conflict', detail),
  tooLarge: (limitBytes: number) =>
    new ProblemError(
      413,
      'too-large',
      'Payload too large',
      `Request bodies are limited to ${limitBytes} bytes.`,
    ),
  unsupportedMediaType: () =>
    new ProblemError(
      415,
      'unsupported-media-type',
      'Unsupported media type',
      'Send the body as application/json.',
    ),
  tooManyRequests: (detail: string, retryAfterSeconds: number) =>
    new ProblemError(429, 'too-many-requests', 'Too many requests', detail, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
    }),
  unavailable: (detail: string, retryAfterSeconds: number) =>
    new ProblemError(503, 'unavailable', 'Service unavailable', detail, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
    }),
};

export function sendProblem(response: Response, problem: ProblemError): void {
  for (const [name, value] of Object.entries(problem.headers)) response.setHeader(name, value);
  response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem.toDocument()));
}

/** zod issues as API.md's `errors`: a dotted path to the field and a readable message. */
export function fieldErrors(error: z.ZodError): ProblemFieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.length === 0 ? '(body)' : issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** Parses a body or query with its schema, or refuses with 400 and every field that is wrong. */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  what = 'request body',
): z.infer<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw problems.validation(fieldErrors(parsed.error), what);
  return parsed.data;
}
