'use client';
import { REWARD_TYPES } from '@challenges/core/definitions';
import { Input, Select } from '@/components/ui/input';
import { numberField, numberOrNaN, Options } from './form-fields';

export interface RewardDraft {
  type?: string;
  rewardId?: string;
  quantity?: number;
}

/**
 * How the fields treat an empty value. `required` (a goal): empty is kept and validation says
 * it is missing. `inherited` (a variant's override): empty means the goal's value, so it is
 * dropped and the placeholder says so.
 */
export type FieldMode = 'required' | 'inherited';

const INHERITED = "goal's";

function numberInput(
  value: number | undefined,
  mode: FieldMode,
  readOnly: boolean,
  error?: string,
) {
  if (mode === 'required') return numberField(value, readOnly, error);
  return { value: value ?? '', placeholder: INHERITED };
}

function numberOf(text: string, mode: FieldMode): number | undefined {
  return mode === 'inherited' && text === '' ? undefined : numberOrNaN(text);
}

function textOf(text: string, mode: FieldMode): string | undefined {
  return mode === 'inherited' ? text || undefined : text;
}

/** A goal's or a variant's reward: type, reward id and quantity. */
export function RewardFields({
  reward,
  mode,
  readOnly,
  errors = {},
  classNames = {},
  onChange,
}: {
  reward: RewardDraft;
  mode: FieldMode;
  readOnly: boolean;
  errors?: { type?: string; rewardId?: string; quantity?: string };
  classNames?: { type?: string; rewardId?: string; quantity?: string };
  onChange: (change: RewardDraft) => void;
}) {
  const inherited = mode === 'inherited';
  return (
    <>
      <Select
        className={classNames.type}
        label="Reward type"
        value={reward.type ?? ''}
        disabled={readOnly}
        error={errors.type}
        onChange={(e) => onChange({ type: textOf(e.target.value, mode) })}
      >
        <Options
          values={REWARD_TYPES}
          current={reward.type}
          empty={inherited ? INHERITED : undefined}
        />
      </Select>
      <Input
        className={classNames.rewardId}
        label="Reward"
        placeholder={inherited ? INHERITED : undefined}
        value={reward.rewardId ?? ''}
        readOnly={readOnly}
        error={errors.rewardId}
        onChange={(e) => onChange({ rewardId: textOf(e.target.value, mode) })}
      />
      <Input
        className={classNames.quantity}
        label="Qty"
        type="number"
        {...numberInput(reward.quantity, mode, readOnly, errors.quantity)}
        readOnly={readOnly}
        onChange={(e) => onChange({ quantity: numberOf(e.target.value, mode) })}
      />
    </>
  );
}

/** A goal's or a variant's target value. */
export function TargetField({
  value,
  label = 'Target',
  mode,
  readOnly,
  error,
  className,
  onChange,
}: {
  value: number | undefined;
  label?: string;
  mode: FieldMode;
  readOnly: boolean;
  error?: string;
  className?: string;
  onChange: (targetValue: number | undefined) => void;
}) {
  return (
    <Input
      className={className}
      label={label}
      type="number"
      {...numberInput(value, mode, readOnly, error)}
      readOnly={readOnly}
      onChange={(e) => onChange(numberOf(e.target.value, mode))}
    />
  );
}
