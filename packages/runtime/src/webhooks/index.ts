export * from './send-webhook.ts';
export * from './ssrf-guard.ts';
export * from './webhook-dispatch.ts';
export * from './webhook-subscriptions.ts';
