export * from './normalize-variants.ts';
export * from './pick-variant.ts';
export * from './variant-goal.ts';
export * from './variants.schema.ts';
