'use client';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorText } from '@/components/ui/feedback';
import { Input, Select } from '@/components/ui/input';
import { useTRPC } from '@/lib/trpc';

const SCENARIOS = ['list', 'initialize', 'events', 'mixed', 'sessions'] as const;
type Scenario = (typeof SCENARIOS)[number];

/** Admin: starts one scenario against this stack (the api spawns the runner). */
export function StartForm({ onStarted }: { onStarted: (id: string) => void }) {
  const [scenario, setScenario] = useState<Scenario>('list');
  const [rps, setRps] = useState('100');
  const [eps, setEps] = useState('0');
  const [duration, setDuration] = useState('30');
  const [users, setUsers] = useState('1000');
  const trpc = useTRPC();
  const start = useMutation(
    trpc.loadtest.start.mutationOptions({ onSuccess: ({ id }) => onStarted(id) }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate({
      scenario,
      rps: Number(rps),
      eps: Number(eps),
      durationSeconds: Number(duration),
      users: Number(users),
    });
  };
  return (
    <Card title="Start a load test">
      <form onSubmit={submit} className="space-y-2">
        <div className="grid items-end gap-2 sm:grid-cols-[10rem_1fr_1fr_1fr_1fr_auto]">
          <Select
            label="Scenario"
            value={scenario}
            onChange={(e) => setScenario(e.currentTarget.value as Scenario)}
          >
            {SCENARIOS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </Select>
          <Input
            label="Requests/s"
            type="number"
            min={0}
            required
            value={rps}
            onChange={(e) => setRps(e.target.value)}
          />
          <Input
            label="Events/s"
            type="number"
            min={0}
            required
            value={eps}
            onChange={(e) => setEps(e.target.value)}
          />
          <Input
            label="Duration (s)"
            type="number"
            min={1}
            max={600}
            required
            value={duration}
            onChange={(e) => setDuration(e.target.value)}
          />
          <Input
            label="Users"
            type="number"
            min={1}
            required
            value={users}
            onChange={(e) => setUsers(e.target.value)}
          />
          <Button type="submit" busy={start.isPending}>
            Start
          </Button>
        </div>
        <p className="text-xs text-slate-500">
          The run loads this very stack: players of this environment will feel it.
        </p>
        <ErrorText error={start.error} />
      </form>
    </Card>
  );
}
