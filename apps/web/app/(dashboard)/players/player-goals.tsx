'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '@/components/session';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Empty, ErrorText, Loading } from '@/components/ui/feedback';
import { Table, Th } from '@/components/ui/table';
import { describeError, useTRPC } from '@/lib/trpc';
import { GoalRow } from './goal-row';
import { PlayerAttributes } from './player-attributes';

type Pending = { kind: 'reset'; goalId: string } | { kind: 'delete' } | null;

export function PlayerGoals({ userId }: { userId: string }) {
  const canEdit = useCan('editor');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<Pending>(null);
  const goals = useQuery(
    trpc.player.goals.queryOptions(
      { userId },
      // Progress moves as events arrive; a look-up page is only useful if it follows along.
      { refetchInterval: 2000 },
    ),
  );
  const refresh = () => queryClient.invalidateQueries(trpc.player.goals.queryFilter({ userId }));
  const toggle = useMutation(trpc.player.setActive.mutationOptions({ onSuccess: refresh }));
  const confirmed = {
    onSuccess: async () => {
      setPending(null);
      await refresh();
    },
  };
  const resetGoal = useMutation(trpc.player.resetGoal.mutationOptions(confirmed));
  const deleteData = useMutation(trpc.player.deleteData.mutationOptions(confirmed));
  // The dialog shows the call it confirms: a goal reset or the deletion of the player's data.
  const confirm = pending?.kind === 'delete' ? deleteData : resetGoal;

  if (goals.isPending) return <Loading />;
  if (goals.isError) return <ErrorText error={goals.error} />;
  const challenges = goals.data.challenges;
  return (
    <div className="space-y-4">
      <ErrorText error={toggle.error} />
      <PlayerAttributes userId={userId} />
      {challenges.length === 0 && <Empty>No challenges are live.</Empty>}
      {challenges.map((challenge) => (
        <Card key={challenge.challengeId} title={challenge.name}>
          <Table>
            <thead>
              <tr>
                <Th>Goal</Th>
                <Th>Activation</Th>
                <Th>Progress</Th>
                <Th>Status</Th>
                <Th>Expires in</Th>
                {canEdit && (
                  <Th pinned className="text-right">
                    Actions
                  </Th>
                )}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {challenge.goals.map((goal) => (
                <GoalRow
                  key={goal.goalId}
                  goal={goal}
                  canEdit={canEdit}
                  busy={toggle.isPending && toggle.variables?.goalId === goal.goalId}
                  onToggle={() =>
                    toggle.mutate({
                      userId,
                      challengeId: challenge.challengeId,
                      goalId: goal.goalId,
                      isActive: !goal.isActive,
                    })
                  }
                  onReset={() => setPending({ kind: 'reset', goalId: goal.goalId })}
                />
              ))}
            </tbody>
          </Table>
        </Card>
      ))}
      {canEdit && (
        <div className="flex justify-end">
          <Button variant="danger" onClick={() => setPending({ kind: 'delete' })}>
            Delete player data…
          </Button>
        </div>
      )}
      <ConfirmDialog
        open={pending !== null}
        title={
          pending?.kind === 'delete'
            ? `Delete every progress row of ${userId}?`
            : 'Reset this goal?'
        }
        confirmLabel={pending?.kind === 'delete' ? 'Delete data' : 'Reset goal'}
        busy={confirm.isPending}
        error={confirm.error ? describeError(confirm.error).message : null}
        onConfirm={() => {
          if (pending?.kind === 'delete') deleteData.mutate({ userId });
          else if (pending) resetGoal.mutate({ userId, goalId: pending.goalId });
        }}
        onCancel={() => {
          setPending(null);
          resetGoal.reset();
          deleteData.reset();
        }}
      >
        {pending?.kind === 'delete'
          ? 'The player starts over: assignments and progress are removed. Rewards already claimed stay claimed, their grants kept without the player id; rewards not delivered yet are cancelled. This cannot be undone.'
          : `Progress of ${pending?.kind === 'reset' ? pending.goalId : ''} goes back to 0; the activation stays.`}
      </ConfirmDialog>
    </div>
  );
}
