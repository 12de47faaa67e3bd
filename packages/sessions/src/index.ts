export * from './session-lua.ts';
export * from './session-store.ts';
