export * from './session-store.ts';
