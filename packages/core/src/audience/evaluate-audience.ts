import type { AttributeValue, Audience, AudienceRule, PlayerAttributes } from './audience.types.ts';
import { inRollout } from './rollout-bucket.ts';

function listHas(list: readonly AttributeValue[], value: AttributeValue | undefined): boolean {
  return value !== undefined && list.includes(value);
}

/**
 * Every operator of the rule holds. Values compare strictly (the string "5" is not the number
 * 5); gte/lte need a number; a missing attribute fails in/gte/lte/exists:true and passes notIn.
 */
export function ruleHolds(rule: AudienceRule, attributes: PlayerAttributes): boolean {
  const has = Object.hasOwn(attributes, rule.attr);
  const value = has ? attributes[rule.attr] : undefined;
  if (rule.exists !== undefined && rule.exists !== has) return false;
  if (rule.in !== undefined && !listHas(rule.in, value)) return false;
  if (rule.notIn !== undefined && listHas(rule.notIn, value)) return false;
  if (rule.gte !== undefined && !(typeof value === 'number' && value >= rule.gte)) return false;
  if (rule.lte !== undefined && !(typeof value === 'number' && value <= rule.lte)) return false;
  return true;
}

/** `all` rules all hold, one `any` rule holds (when given), and the bucket is in the rollout. */
export function inAudience(options: {
  audience: Audience | undefined;
  attributes: PlayerAttributes;
  /** rolloutBucket(playerId, challengeId). */
  bucket: number;
}): boolean {
  const { audience, attributes, bucket } = options;
  if (audience === undefined) return true;
  if (audience.all && !audience.all.every((rule) => ruleHolds(rule, attributes))) return false;
  if (audience.any && !audience.any.some((rule) => ruleHolds(rule, attributes))) return false;
  return inRollout(bucket, audience.rolloutPercent);
}
