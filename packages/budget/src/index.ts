export * from './budget-limits.ts';
export * from './budget-windows.ts';
export * from './cost-breakers.ts';
export * from './cost-ledger.ts';
export * from './usage-ledger.ts';
export * from './usage-watch.ts';
