export * from './fault-mix.ts';
export * from './load-run.ts';
