export * from './env-fields.ts';
export * from './parse-env.ts';
export * from './production-rules.ts';
export * from './service-env.ts';
