'use client';
import { createContext, useContext } from 'react';

export type Role = 'viewer' | 'editor' | 'admin';
export interface Session {
  email: string;
  role: Role;
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the signed-in layout');
  return session;
}

/** Hides actions the server would refuse anyway; the api checks every role itself. */
export function useCan(minimum: Role): boolean {
  return RANK[useSession().role] >= RANK[minimum];
}
