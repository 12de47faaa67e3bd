export * from './contract-set.ts';
export * from './input-validation.ts';
export * from './lint.ts';
export { AgentProfile } from './schemas.ts';
