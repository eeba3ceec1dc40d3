import type { PrismaClient } from '../generated/prisma/client.ts';
import { nullOn, PRISMA_RECORD_NOT_FOUND, PRISMA_UNIQUE_VIOLATION } from '../prisma-errors.ts';

export type DashboardRole = 'viewer' | 'editor' | 'admin';

export interface DashboardUser {
  id: string;
  email: string;
  role: DashboardRole;
  disabled: boolean;
  createdAt: Date;
  /** Sessions issued at another epoch are over (sign-out, role change, disable, password). */
  sessionEpoch: number;
}

/** A user with the stored hash: only sign-in needs it, so only one call returns it. */
export interface DashboardUserWithHash extends DashboardUser {
  passwordHash: string;
}

export interface DashboardUserRepository {
  list(): Promise<DashboardUser[]>;
  findById(id: string): Promise<DashboardUser | null>;
  findByEmailWithHash(email: string): Promise<DashboardUserWithHash | null>;
  /** null when the (lower-cased) email is taken. */
  create(input: {
    email: string;
    passwordHash: string;
    role: DashboardRole;
  }): Promise<DashboardUser | null>;
  /** The updated user, or null when it does not exist. Ends the user's sessions. */
  update(
    id: string,
    change: { role?: DashboardRole; disabled?: boolean },
  ): Promise<DashboardUser | null>;
  /** A new password hash; ends the user's sessions. null when the user does not exist. */
  setPasswordHash(id: string, passwordHash: string): Promise<DashboardUser | null>;
  /** Ends every session of the user (sign-out); null when the user does not exist. */
  bumpSessionEpoch(id: string): Promise<DashboardUser | null>;
  delete(id: string): Promise<boolean>;
  /** Enabled admins; the last one must not be demoted, disabled or deleted. */
  countActiveAdmins(): Promise<number>;
  countAll(): Promise<number>;
}

const USER_SELECT = {
  id: true,
  email: true,
  role: true,
  disabled: true,
  createdAt: true,
  sessionEpoch: true,
} as const;

function decode<T extends { role: string }>(row: T): T & { role: DashboardRole } {
  return { ...row, role: row.role as DashboardRole };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function createDashboardUserRepository(prisma: PrismaClient): DashboardUserRepository {
  const users = prisma.dashboardUser;
  /** An update of one user that ends their sessions; null when the user does not exist. */
  const updateEndingSessions = (
    id: string,
    data: { role?: DashboardRole; disabled?: boolean; passwordHash?: string },
  ) =>
    nullOn(
      PRISMA_RECORD_NOT_FOUND,
      users.update({
        where: { id },
        data: { ...data, sessionEpoch: { increment: 1 } },
        select: USER_SELECT,
      }),
    ).then((row) => row && decode(row));

  return {
    async list() {
      const rows = await users.findMany({
        select: USER_SELECT,
        orderBy: [{ createdAt: 'asc' }, { email: 'asc' }],
      });
      return rows.map(decode);
    },

    async findById(id) {
      const row = await users.findUnique({ where: { id }, select: USER_SELECT });
      return row && decode(row);
    },

    async findByEmailWithHash(email) {
      const row = await users.findUnique({
        where: { email: normalizeEmail(email) },
        select: { ...USER_SELECT, passwordHash: true },
      });
      return row && decode(row);
    },

    async create({ email, passwordHash, role }) {
      const row = await nullOn(
        PRISMA_UNIQUE_VIOLATION,
        users.create({
          data: { email: normalizeEmail(email), passwordHash, role },
          select: USER_SELECT,
        }),
      );
      return row && decode(row);
    },

    update: (id, { role, disabled }) => updateEndingSessions(id, { role, disabled }),
    setPasswordHash: (id, passwordHash) => updateEndingSessions(id, { passwordHash }),
    bumpSessionEpoch: (id) => updateEndingSessions(id, {}),

    async delete(id) {
      const { count } = await users.deleteMany({ where: { id } });
      return count === 1;
    },

    countActiveAdmins: () => users.count({ where: { role: 'admin', disabled: false } }),
    countAll: () => users.count(),
  };
}
