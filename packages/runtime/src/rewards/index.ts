export * from './accelbyte-provider.ts';
export * from './accelbyte-token.ts';
export * from './backoff.ts';
export * from './create-reward-provider.ts';
export * from './mock-provider.ts';
export * from './reward-delivery.ts';
export * from './reward-provider.ts';
export {
  verifyWebhookSignature,
  webhookRewardProvider,
  webhookSignature,
} from './webhook-provider.ts';
