export * from './push-keys.ts';
export * from './push-publisher.ts';
