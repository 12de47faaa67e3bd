export * from './redis-cluster.ts';
export * from './shared-redis.ts';
