export * from './definitions/definitions.types.ts';
export * from './errors.ts';
export * from './progress/progress.types.ts';
