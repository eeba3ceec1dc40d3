import type { z } from 'zod';
import type { audienceSchema } from './audience.schema.ts';
import type { Audience, AudienceRule } from './audience.types.ts';

export type AudienceFile = z.input<typeof audienceSchema>;

function ruleToFile(rule: AudienceRule): NonNullable<AudienceFile['all']>[number] {
  const out: NonNullable<AudienceFile['all']>[number] = { attr: rule.attr };
  if (rule.in !== undefined) out.in = [...rule.in];
  if (rule.notIn !== undefined) out.notIn = [...rule.notIn];
  if (rule.gte !== undefined) out.gte = rule.gte;
  if (rule.lte !== undefined) out.lte = rule.lte;
  if (rule.exists !== undefined) out.exists = rule.exists;
  return out;
}

/** The audience as the definitions file writes it (a fresh, mutable copy). */
export function serializeAudience(audience: Audience): AudienceFile {
  const out: AudienceFile = {};
  if (audience.all !== undefined) out.all = audience.all.map(ruleToFile);
  if (audience.any !== undefined) out.any = audience.any.map(ruleToFile);
  if (audience.rolloutPercent !== undefined) out.rolloutPercent = audience.rolloutPercent;
  return out;
}
