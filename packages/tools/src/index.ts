export * from './builtin-tools.ts';
export * from './demo-backend/server.ts';
export * from './http-call.ts';
export * from './ordering.ts';
export * from './tool-executor.ts';
export * from './tool-guards.ts';
export * from './tool-job.ts';
