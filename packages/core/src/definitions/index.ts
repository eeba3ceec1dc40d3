// The browser-safe part of core (zod and luxon only): the dashboard validates drafts with it.

export * from '../i18n/index.ts';
export * from './definitions.schema.ts';
export * from './definitions.types.ts';
export * from './parse-definitions.ts';
