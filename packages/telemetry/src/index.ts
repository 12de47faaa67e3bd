export * from './logger.ts';
export * from './redaction.ts';
export * from './verbatim-spans.ts';
