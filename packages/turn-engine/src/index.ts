export * from './model-choice.ts';
export * from './prompt.ts';
export * from './replies.ts';
export * from './turn-engine.ts';
export * from './turn-job.ts';
