export * from './cases.ts';
export * from './held-out.ts';
export * from './held-out-figures.ts';
export * from './run-red-team.ts';
export * from './user-messages.ts';
