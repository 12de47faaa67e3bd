export * from './api-deps.ts';
export { ApiKeyRegistry, ApiKeysSetting, type Principal, Role } from './api-keys.ts';
export * from './api-schemas.ts';
export { BODY_LIMIT_BYTES, createApiApp } from './app.ts';
export { IdempotencyStore } from './idempotency.ts';
export { buildOpenApiDocument } from './openapi.ts';
export { ProblemError, problems } from './problem.ts';
export { SessionSignals } from './session-signals.ts';
export { toPublicTurn } from './views.ts';
