export * from './rest.ts';
export * from './stream.ts';
export * from './types.ts';
