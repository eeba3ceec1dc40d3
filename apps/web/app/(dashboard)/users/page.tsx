'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { PageHeader } from '@/components/page-header';
import { type Role, useCan, useSession } from '@/components/session';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Empty, ErrorText, Loading } from '@/components/ui/feedback';
import { Input, Select } from '@/components/ui/input';
import { Table, Td, Th } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { MIN_PASSWORD_LENGTH } from '@/lib/passwords';
import { useTRPC } from '@/lib/trpc';
import { AccountActions } from './account-actions';
import { ApiKeys } from './api-keys';
import { ResetPassword } from './reset-password';

const ROLES: Role[] = ['viewer', 'editor', 'admin'];

function CreateUser({ onCreated }: { onCreated: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const trpc = useTRPC();
  const create = useMutation(
    trpc.user.create.mutationOptions({
      onSuccess: () => {
        setEmail('');
        setPassword('');
        onCreated();
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ email, password, role });
  };
  return (
    <form onSubmit={submit} className="mb-4 space-y-2">
      <div className="grid items-end gap-2 sm:grid-cols-[1fr_1fr_8rem_auto]">
        <Input
          label="Email"
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Input
          label="Initial password"
          type="password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <Select label="Role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </Select>
        <Button type="submit" busy={create.isPending}>
          Create user
        </Button>
      </div>
      <ErrorText error={create.error} />
    </form>
  );
}

function UsersTable() {
  const me = useSession();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const users = useQuery(trpc.user.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries(trpc.user.list.pathFilter());
  const change = useMutation(trpc.user.setRole.mutationOptions({ onSettled: refresh }));
  return (
    <Card title="Dashboard users">
      <CreateUser onCreated={refresh} />
      <ErrorText error={change.error} />
      {users.isPending && <Loading />}
      {users.isError && <ErrorText error={users.error} />}
      {users.data?.length === 0 && <Empty>No users.</Empty>}
      {users.data && users.data.length > 0 && (
        <Table>
          <thead>
            <tr>
              <Th>Email</Th>
              <Th>Role</Th>
              <Th>State</Th>
              <Th>Created</Th>
              <Th pinned className="text-right">
                Actions
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.data.map((user) => {
              const self = user.email === me.email;
              return (
                <tr key={user.id} data-user={user.email}>
                  {/* On a phone the address wraps beside the (stacked) actions instead of under them. */}
                  <Td className="max-md:min-w-36 max-md:max-w-44 max-md:break-all">
                    {user.email} {self && <Badge tone="indigo">you</Badge>}
                  </Td>
                  <Td>
                    <Select
                      className="min-w-28"
                      aria-label={`Role of ${user.email}`}
                      value={user.role}
                      disabled={self || change.isPending}
                      onChange={(e) =>
                        change.mutate({ userId: user.id, role: e.currentTarget.value as Role })
                      }
                    >
                      {ROLES.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </Select>
                  </Td>
                  <Td>
                    {user.disabled ? (
                      <Badge tone="red">disabled</Badge>
                    ) : (
                      <Badge tone="green">enabled</Badge>
                    )}
                  </Td>
                  <Td className="whitespace-nowrap">
                    <Time at={user.createdAt} />
                  </Td>
                  <Td pinned className="whitespace-nowrap text-right">
                    {!self && (
                      <div className="flex flex-wrap justify-end gap-1 max-md:flex-col max-md:flex-nowrap max-md:items-end">
                        <ResetPassword user={user} />
                        <AccountActions user={user} onChanged={refresh} />
                      </div>
                    )}
                  </Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
    </Card>
  );
}

export default function UsersPage() {
  const isAdmin = useCan('admin');
  if (!isAdmin) {
    return (
      <>
        <PageHeader title="Users" />
        <Empty>Managing users and API keys needs the admin role.</Empty>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title="Users"
        description="Dashboard accounts and roles, and the API keys for event ingest."
      />
      <div className="space-y-6">
        <UsersTable />
        <ApiKeys />
      </div>
    </>
  );
}
