export * from './context-window.ts';
export * from './model-choice.ts';
export * from './prompt.ts';
export * from './replies.ts';
export * from './spend.ts';
export * from './summary-cut.ts';
export * from './turn-engine.ts';
export * from './turn-job.ts';
