export * from './capturing-logger.ts';
export * from './reward-receiver.ts';
export * from './redis-cluster.ts';
