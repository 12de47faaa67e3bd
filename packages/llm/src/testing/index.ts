export * from './fake-anthropic.ts';
export * from './fake-openai.ts';
export * from './fake-provider-server.ts';
