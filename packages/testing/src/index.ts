export * from './shared-redis.ts';
