export * from './escalation-desk.ts';
export * from './escalation-publisher.ts';
export * from './escalation-worker.ts';
