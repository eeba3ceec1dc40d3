export * from './capturing-logger.ts';
export * from './redis-cluster.ts';
export * from './reward-receiver.ts';
