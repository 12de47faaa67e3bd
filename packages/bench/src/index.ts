export * from './bench-config.ts';
export * from './bench-run.ts';
export * from './bench-table.ts';
