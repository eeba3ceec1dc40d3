export * from './clock.ts';
export * from './definitions-source.ts';
