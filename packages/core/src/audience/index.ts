export * from './audience.schema.ts';
export * from './audience.types.ts';
export * from './audience-changes.ts';
export * from './audience-definitions.ts';
export * from './evaluate-audience.ts';
export * from './rollout-bucket.ts';
export * from './serialize-audience.ts';
