'use client';
import { Button } from '@/components/ui/button';
import { Checkbox, FieldError, Input } from '@/components/ui/input';
import type { GoalDraft } from '@/lib/definitions';
import { numberField, numberOrNaN, type SortedProblems } from './form-fields';
import { RewardFields, TargetField } from './reward-fields';

/** Problem keys core's variant messages start with (shown under the variants). */
export const VARIANT_FIELDS = ['variants', 'variantId', 'weight'] as const;

/** One A/B variant as the draft holds it (loose: the draft may be work in progress). */
export interface VariantDraft {
  variantId?: string;
  weight?: number;
  requirement?: { targetValue?: number };
  reward?: { type?: string; rewardId?: string; quantity?: number };
  name?: string;
  description?: string;
  [key: string]: unknown;
}

const NEW_VARIANTS: VariantDraft[] = [
  { variantId: 'a', weight: 1 },
  { variantId: 'b', weight: 1 },
];

/** Drops an override whose fields are all empty, so the variant keeps the goal's. */
function cleaned(variant: VariantDraft): VariantDraft {
  const out = { ...variant };
  if (out.requirement && out.requirement.targetValue === undefined) delete out.requirement;
  if (out.reward && !out.reward.rewardId && !out.reward.type && out.reward.quantity === undefined) {
    delete out.reward;
  }
  if (out.name === '') delete out.name;
  if (out.description === '') delete out.description;
  return out;
}

/**
 * A goal's A/B variants (docs/definitions.md): each with a weight and optional overrides of the
 * target, the reward and the text. Players keep the variant they were assigned.
 */
export function GoalVariants({
  goal,
  readOnly,
  problems,
  onChange,
}: {
  goal: GoalDraft;
  readOnly: boolean;
  problems: SortedProblems;
  onChange: (variants: VariantDraft[] | undefined) => void;
}) {
  const variants = Array.isArray(goal.variants) ? (goal.variants as VariantDraft[]) : undefined;
  const on = variants !== undefined;
  const set = (index: number, change: (v: VariantDraft) => VariantDraft) =>
    onChange(variants?.map((v, i) => (i === index ? cleaned(change(v)) : v)));
  const error = [problems.field('variants'), problems.field('variantId'), problems.field('weight')]
    .filter(Boolean)
    .join('; ');
  return (
    <fieldset
      data-testid="goal-variants"
      className="space-y-2 rounded-md p-2 ring-1 ring-slate-200"
    >
      <Checkbox
        label="A/B variants"
        checked={on}
        disabled={readOnly}
        onChange={(e) => onChange(e.target.checked ? NEW_VARIANTS : undefined)}
      />
      <FieldError error={error || undefined} />
      {on && (
        <ul className="space-y-2">
          {variants.map((variant, index) => (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: ids are edited in place
              key={index}
              data-variant={variant.variantId}
              // One row at 1280 px: the name and the reward fields wider (the reward type shows
              // all of "WALLET"), the number fields their placeholder, Remove its label.
              className="grid grid-cols-2 items-end gap-2 sm:grid-cols-4 xl:grid-cols-[repeat(3,minmax(0,1fr))_minmax(0,2fr)_repeat(2,minmax(0,1.5fr))_minmax(0,1fr)_auto]"
            >
              <VariantFields
                variant={variant}
                readOnly={readOnly}
                onChange={(change) => set(index, change)}
              />
              {!readOnly && (
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={`Remove variant ${variant.variantId ?? index + 1}`}
                  onClick={() => onChange(variants.filter((_, i) => i !== index))}
                >
                  Remove
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {on && !readOnly && (
        <Button
          variant="secondary"
          size="sm"
          onClick={() =>
            onChange([...variants, { variantId: `v${variants.length + 1}`, weight: 1 }])
          }
        >
          Add variant
        </Button>
      )}
    </fieldset>
  );
}

function VariantFields({
  variant,
  readOnly,
  onChange,
}: {
  variant: VariantDraft;
  readOnly: boolean;
  onChange: (change: (v: VariantDraft) => VariantDraft) => void;
}) {
  return (
    <>
      <Input
        label="Variant id"
        value={variant.variantId ?? ''}
        readOnly={readOnly}
        onChange={(e) => onChange((v) => ({ ...v, variantId: e.target.value }))}
      />
      <Input
        label="Weight"
        type="number"
        {...numberField(variant.weight, readOnly)}
        readOnly={readOnly}
        onChange={(e) => onChange((v) => ({ ...v, weight: numberOrNaN(e.target.value) }))}
      />
      <TargetField
        mode="inherited"
        value={variant.requirement?.targetValue}
        readOnly={readOnly}
        onChange={(targetValue) => onChange((v) => ({ ...v, requirement: { targetValue } }))}
      />
      <Input
        label="Name"
        placeholder="goal's"
        value={variant.name ?? ''}
        readOnly={readOnly}
        onChange={(e) => onChange((v) => ({ ...v, name: e.target.value }))}
      />
      <RewardFields
        reward={variant.reward ?? {}}
        mode="inherited"
        readOnly={readOnly}
        onChange={(change) => onChange((v) => ({ ...v, reward: { ...v.reward, ...change } }))}
      />
    </>
  );
}
