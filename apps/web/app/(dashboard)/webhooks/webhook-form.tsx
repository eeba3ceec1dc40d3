'use client';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorText } from '@/components/ui/feedback';
import { Checkbox, Input } from '@/components/ui/input';
import { useTRPC } from '@/lib/trpc';

export const EVENT_TYPES = [
  { value: 'goal.completed', label: 'Goal completed' },
  { value: 'goal.claimed', label: 'Goal claimed' },
  { value: 'goal.rotated', label: 'Goal rotated' },
] as const;
export type EventType = (typeof EVENT_TYPES)[number]['value'];

export interface WebhookFields {
  id?: string;
  name: string;
  url: string;
  events: EventType[];
  enabled: boolean;
}

/** The format check; the server checks where the URL resolves to (no private addresses). */
function urlProblem(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      return 'The URL must start with http:// or https://';
    }
    return undefined;
  } catch {
    return 'Enter a full URL, e.g. https://crm.example.com/hooks/challenges';
  }
}

/** Create or edit one webhook; a new webhook's secret is shown once, by the caller. */
export function WebhookForm({
  initial,
  onSaved,
  onCancel,
}: {
  initial: WebhookFields;
  onSaved: (secret: string | null) => void;
  onCancel: () => void;
}) {
  const [fields, setFields] = useState(initial);
  const [touched, setTouched] = useState(false);
  const trpc = useTRPC();
  // One mutation per procedure: a new webhook answers with its secret (shown once), an edit not.
  const create = useMutation(
    trpc.webhook.create.mutationOptions({ onSuccess: ({ secret }) => onSaved(secret) }),
  );
  const update = useMutation(
    trpc.webhook.update.mutationOptions({ onSuccess: () => onSaved(null) }),
  );
  const save = fields.id ? update : create;
  const problem = fields.url ? urlProblem(fields.url) : 'Enter the receiver’s URL';
  const noEvents = fields.events.length === 0;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problem || noEvents || !fields.name.trim()) return;
    const input = {
      name: fields.name,
      url: fields.url,
      events: fields.events,
      enabled: fields.enabled,
    };
    if (fields.id) update.mutate({ id: fields.id, ...input });
    else create.mutate(input);
  };
  const toggle = (type: EventType, on: boolean) =>
    setFields((f) => ({
      ...f,
      events: on ? [...f.events, type] : f.events.filter((e) => e !== type),
    }));

  return (
    <Card title={initial.id ? `Edit ${initial.name}` : 'New webhook'}>
      <form onSubmit={submit} className="space-y-3" aria-label="Webhook" noValidate>
        <Input
          label="Name"
          value={fields.name}
          maxLength={100}
          onChange={(e) => setFields({ ...fields, name: e.target.value })}
          error={touched && !fields.name.trim() ? 'Give the webhook a name' : undefined}
        />
        <Input
          label="URL"
          value={fields.url}
          placeholder="https://crm.example.com/hooks/challenges"
          maxLength={2000}
          onChange={(e) => setFields({ ...fields, url: e.target.value.trim() })}
          error={touched ? problem : undefined}
        />
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium text-slate-700">Events</legend>
          {EVENT_TYPES.map((t) => (
            <Checkbox
              key={t.value}
              label={t.label}
              checked={fields.events.includes(t.value)}
              onChange={(e) => toggle(t.value, e.currentTarget.checked)}
            />
          ))}
          {touched && noEvents && <p className="text-sm text-rose-700">Pick at least one event</p>}
        </fieldset>
        <Checkbox
          label="Enabled"
          checked={fields.enabled}
          onChange={(e) => setFields({ ...fields, enabled: e.currentTarget.checked })}
        />
        <ErrorText error={save.error} />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" busy={save.isPending}>
            Save webhook
          </Button>
          <Button type="button" variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        </div>
      </form>
    </Card>
  );
}
