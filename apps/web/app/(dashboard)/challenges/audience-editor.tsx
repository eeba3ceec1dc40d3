'use client';
import { Button } from '@/components/ui/button';
import { Checkbox, FieldError, Input, Select } from '@/components/ui/input';
import { numberOrNaN, type SortedProblems } from './form-fields';

/** The keys audience problems start with (core's messages), so sortProblems gives them here. */
export const AUDIENCE_FIELDS = [
  'audience',
  'rolloutPercent',
  'all',
  'any',
  'attr',
  'attribute',
  'in',
  'notIn',
  'gte',
  'lte',
  'exists',
] as const;

type Value = string | number | boolean;
export interface RuleDraft {
  attr?: string;
  in?: Value[];
  notIn?: Value[];
  gte?: number;
  lte?: number;
  exists?: boolean;
  [key: string]: unknown;
}
export interface AudienceDraft {
  all?: RuleDraft[];
  any?: RuleDraft[];
  rolloutPercent?: number;
  [key: string]: unknown;
}

const OPERATORS = ['in', 'notIn', 'gte', 'lte', 'exists'] as const;
type Operator = (typeof OPERATORS)[number];
const OPERATOR_LABELS: Record<Operator, string> = {
  in: 'is one of',
  notIn: 'is none of',
  gte: '≥',
  lte: '≤',
  exists: 'exists',
};

/** The draft's audience (loose: the draft may be invalid on purpose). */
export function audienceOf(owner: Record<string, unknown>): AudienceDraft | undefined {
  const audience = owner.audience;
  return typeof audience === 'object' && audience !== null
    ? (audience as AudienceDraft)
    : undefined;
}

/** `owner` with the audience set, or without the key when `audience` is undefined. */
export function withAudience<T extends Record<string, unknown>>(
  owner: T,
  audience?: AudienceDraft,
): T {
  const { audience: _old, ...rest } = owner;
  return (audience === undefined ? rest : { ...rest, audience }) as T;
}

/** "DE, 3, true" → ['DE', 3, true]: numbers and booleans as such, the rest as text. */
function parseValues(text: string): Value[] {
  return text.split(',').map((part) => {
    const item = part.trim();
    if (item === 'true' || item === 'false') return item === 'true';
    return /^-?\d+(\.\d+)?$/.test(item) ? Number(item) : item;
  });
}

function operatorOf(rule: RuleDraft): Operator {
  return OPERATORS.find((op) => rule[op] !== undefined) ?? 'in';
}

/** A goal's or challenge's audience (docs/definitions.md#audiences); one operator per rule. */
export function AudienceEditor({
  audience,
  label,
  readOnly,
  problems,
  onChange,
}: {
  audience: AudienceDraft | undefined;
  label: string;
  readOnly: boolean;
  problems: SortedProblems;
  onChange: (audience: AudienceDraft | undefined) => void;
}) {
  const messages = AUDIENCE_FIELDS.map((key) => problems.field(key)).filter(Boolean);
  const set = (change: Partial<AudienceDraft>) => {
    const next: AudienceDraft = { ...audience, ...change };
    for (const key of ['all', 'any', 'rolloutPercent'] as const) {
      if (next[key] === undefined) delete next[key];
    }
    onChange(next);
  };
  const rollout = audience?.rolloutPercent;
  return (
    <fieldset className="space-y-2 rounded-md p-2 ring-1 ring-slate-200" aria-label={label}>
      <Checkbox
        label={label}
        checked={audience !== undefined}
        disabled={readOnly}
        onChange={(e) => onChange(e.target.checked ? { rolloutPercent: 100 } : undefined)}
      />
      <FieldError error={messages.join('; ') || undefined} />
      {audience !== undefined && (
        <>
          <Input
            className="max-w-40"
            label="Rollout %"
            type="number"
            min={0}
            max={100}
            placeholder="100"
            value={rollout === undefined || Number.isNaN(rollout) ? '' : String(rollout)}
            readOnly={readOnly}
            onChange={(e) =>
              set({
                rolloutPercent: e.target.value === '' ? undefined : numberOrNaN(e.target.value),
              })
            }
          />
          {(['all', 'any'] as const).map((kind) => (
            <RuleList
              key={kind}
              kind={kind}
              rules={audience[kind] ?? []}
              readOnly={readOnly}
              onChange={(rules) => set({ [kind]: rules.length === 0 ? undefined : rules })}
            />
          ))}
        </>
      )}
    </fieldset>
  );
}

function RuleList({
  kind,
  rules,
  readOnly,
  onChange,
}: {
  kind: 'all' | 'any';
  rules: RuleDraft[];
  readOnly: boolean;
  onChange: (rules: RuleDraft[]) => void;
}) {
  const title = kind === 'all' ? 'All of these' : 'Any of these';
  return (
    <div className="space-y-1">
      <p className="text-xs font-medium text-slate-600">{title}</p>
      <ul className="space-y-1">
        {rules.map((rule, i) => (
          <RuleRow
            // biome-ignore lint/suspicious/noArrayIndexKey: rules have no id; the attribute is edited in place.
            key={i}
            rule={rule}
            readOnly={readOnly}
            onChange={(next) => onChange(rules.map((r, j) => (j === i ? next : r)))}
            onRemove={() => onChange(rules.filter((_, j) => j !== i))}
          />
        ))}
      </ul>
      {!readOnly && (
        <Button
          variant="secondary"
          size="sm"
          onClick={() => onChange([...rules, { attr: '', in: [''] }])}
        >
          Add rule ({kind})
        </Button>
      )}
    </div>
  );
}

function RuleRow({
  rule,
  readOnly,
  onChange,
  onRemove,
}: {
  rule: RuleDraft;
  readOnly: boolean;
  onChange: (rule: RuleDraft) => void;
  onRemove: () => void;
}) {
  const operator = operatorOf(rule);
  // Derived, not kept: "DE," shows as "DE, ", and a rule removed above leaves no text behind.
  const text = operator === 'in' || operator === 'notIn' ? (rule[operator] ?? []).join(', ') : '';
  const setOperator = (next: Operator) => {
    const base: RuleDraft = { attr: rule.attr ?? '' };
    if (next === 'in' || next === 'notIn') base[next] = parseValues(text);
    else if (next === 'exists') base.exists = true;
    else base[next] = 0;
    onChange(base);
  };
  return (
    <li className="flex flex-wrap items-end gap-2" data-rule={rule.attr ?? ''}>
      <Input
        className="w-36"
        label="Attribute"
        value={rule.attr ?? ''}
        readOnly={readOnly}
        onChange={(e) => onChange({ ...rule, attr: e.target.value })}
      />
      <Select
        className="w-32"
        label="Operator"
        value={operator}
        disabled={readOnly}
        onChange={(e) => setOperator(e.target.value as Operator)}
      >
        {OPERATORS.map((op) => (
          <option key={op} value={op}>
            {OPERATOR_LABELS[op]}
          </option>
        ))}
      </Select>
      <RuleValue
        rule={rule}
        operator={operator}
        text={text}
        readOnly={readOnly}
        onText={(value) => onChange({ ...rule, [operator]: parseValues(value) })}
        onChange={onChange}
      />
      {!readOnly && (
        <Button
          variant="ghost"
          size="sm"
          aria-label={`Remove rule ${rule.attr ?? ''}`}
          onClick={onRemove}
        >
          Remove
        </Button>
      )}
    </li>
  );
}

function RuleValue({
  rule,
  operator,
  text,
  readOnly,
  onText,
  onChange,
}: {
  rule: RuleDraft;
  operator: Operator;
  text: string;
  readOnly: boolean;
  onText: (text: string) => void;
  onChange: (rule: RuleDraft) => void;
}) {
  if (operator === 'exists') {
    return (
      <Select
        className="w-28"
        label="Value"
        value={String(rule.exists !== false)}
        disabled={readOnly}
        onChange={(e) => onChange({ ...rule, exists: e.target.value === 'true' })}
      >
        <option value="true">yes</option>
        <option value="false">no</option>
      </Select>
    );
  }
  if (operator === 'gte' || operator === 'lte') {
    const value = rule[operator];
    return (
      <Input
        className="w-28"
        label="Value"
        type="number"
        value={value === undefined || Number.isNaN(value) ? '' : String(value)}
        readOnly={readOnly}
        onChange={(e) => onChange({ ...rule, [operator]: numberOrNaN(e.target.value) })}
      />
    );
  }
  return (
    <Input
      className="min-w-40 flex-1"
      label="Values (comma separated)"
      placeholder="DE, FR"
      value={text}
      readOnly={readOnly}
      onChange={(e) => onText(e.target.value)}
    />
  );
}
