export * from './clock.ts';
export * from './database-definitions-source.ts';
export * from './definitions-source.ts';
export * from './first-start-import.ts';
