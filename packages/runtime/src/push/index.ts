export * from './push-keys.ts';
export * from './push-listeners.ts';
export * from './push-publisher.ts';
