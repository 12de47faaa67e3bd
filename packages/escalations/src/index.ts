export * from './escalation-publisher.ts';
