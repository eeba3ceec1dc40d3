export * from './i18n.types.ts';
export * from './icu-message.ts';
export * from './locale-tags.ts';
export * from './localize-definitions.ts';
export * from './negotiate-locale.ts';
export * from './resolve-texts.ts';
