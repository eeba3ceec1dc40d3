'use client';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Tabs } from '@/components/ui/tabs';
import { type RouterOutputs, useTRPC } from '@/lib/trpc';

export type ProfileKind = 'cpu' | 'heap';
export type ProfileResult = RouterOutputs['profile']['cpu'];

/** The api's bounds (profile.cpu / profile.heap input); longer profiles slow the process down. */
export const MIN_SECONDS = 1;
export const MAX_SECONDS = 30;
const KEPT = 10;

function secondsProblem(text: string): string | undefined {
  if (text.trim() === '') return 'Required';
  const n = Number(text);
  if (!Number.isInteger(n)) return 'Whole seconds only';
  if (n < MIN_SECONDS || n > MAX_SECONDS) return `From ${MIN_SECONDS} to ${MAX_SECONDS} seconds`;
  return undefined;
}

/** Admin: CPU or heap profiles of live processes, the last few kept for viewing and diffs. */
export function useProfiler() {
  const [kind, setKind] = useState<ProfileKind>('cpu');
  const [secondsText, setSecondsText] = useState('5');
  const [results, setResults] = useState<ProfileResult[]>([]);
  const trpc = useTRPC();
  const kept = {
    onSuccess: (result: ProfileResult) => setResults((old) => [result, ...old].slice(0, KEPT)),
  };
  const profiles = {
    cpu: useMutation(trpc.profile.cpu.mutationOptions(kept)),
    heap: useMutation(trpc.profile.heap.mutationOptions(kept)),
  };
  // One profile at a time (the buttons wait): the kind last started is the one whose state shows.
  const [running, setRunning] = useState<ProfileKind>('cpu');
  const mutation = profiles[running];
  const secondsError = secondsProblem(secondsText);
  return {
    kind,
    setKind,
    secondsText,
    setSecondsText,
    secondsError,
    results,
    mutation,
    start: (processId: string) => {
      if (secondsError) return;
      profiles[kind === 'cpu' ? 'heap' : 'cpu'].reset();
      setRunning(kind);
      profiles[kind].mutate({ processId, seconds: Number(secondsText) });
    },
  };
}

export type Profiler = ReturnType<typeof useProfiler>;

export function ProfileControls({ profiler }: { profiler: Profiler }) {
  return (
    <div className="flex flex-wrap items-start gap-3 font-normal">
      <div className="w-36">
        <Tabs
          label="Profile kind"
          items={[
            { id: 'cpu', label: 'CPU' },
            { id: 'heap', label: 'Heap' },
          ]}
          value={profiler.kind}
          onChange={profiler.setKind}
        />
      </div>
      <Input
        className="w-40"
        label="Duration (seconds)"
        type="number"
        inputMode="numeric"
        min={MIN_SECONDS}
        max={MAX_SECONDS}
        step={1}
        value={profiler.secondsText}
        error={profiler.secondsError}
        onChange={(event) => profiler.setSecondsText(event.target.value)}
      />
    </div>
  );
}

export function ProfileButton({ processId, profiler }: { processId: string; profiler: Profiler }) {
  const { mutation } = profiler;
  const busy = mutation.isPending && mutation.variables?.processId === processId;
  const label = profiler.kind === 'cpu' ? 'CPU profile' : 'Heap profile';
  return (
    <Button
      variant="secondary"
      size="sm"
      busy={busy}
      disabled={mutation.isPending || profiler.secondsError !== undefined}
      onClick={() => profiler.start(processId)}
    >
      {busy ? `Profiling ${mutation.variables?.seconds} s…` : label}
    </Button>
  );
}
