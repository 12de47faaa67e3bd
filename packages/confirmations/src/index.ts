export * from './confirmation-store.ts';
