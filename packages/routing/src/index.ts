export * from './complexity.ts';
export * from './cost-aware-router.ts';
export * from './routing-eval.ts';
