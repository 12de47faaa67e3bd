export * from './api-client.ts';
export * from './session-events.ts';
export * from './support-client.ts';
