export * from './freeze-assignment.ts';
export * from './resolve-schedule.ts';
export * from './schedule.schema.ts';
export * from './schedule.types.ts';
export * from './schedule-window.ts';
