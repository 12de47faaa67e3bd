export * from './tier-router.ts';
