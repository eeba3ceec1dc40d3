import type pg from 'pg';

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

const COLUMNS = 'id, email, role, disabled, created_at, session_epoch';
const UNIQUE_VIOLATION = '23505';

function decode(row: Record<string, unknown>): DashboardUser {
  return {
    id: row.id as string,
    email: row.email as string,
    role: row.role as DashboardRole,
    disabled: row.disabled as boolean,
    createdAt: row.created_at as Date,
    sessionEpoch: row.session_epoch as number,
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function createDashboardUserRepository(pool: pg.Pool): DashboardUserRepository {
  return {
    async list() {
      const { rows } = await pool.query(
        `SELECT ${COLUMNS} FROM dashboard_users ORDER BY created_at, email`,
      );
      return rows.map(decode);
    },

    async findById(id) {
      const { rows } = await pool.query(`SELECT ${COLUMNS} FROM dashboard_users WHERE id = $1`, [
        id,
      ]);
      return rows[0] ? decode(rows[0]) : null;
    },

    async findByEmailWithHash(email) {
      const { rows } = await pool.query(
        `SELECT ${COLUMNS}, password_hash FROM dashboard_users WHERE email = $1`,
        [normalizeEmail(email)],
      );
      const row = rows[0];
      return row ? { ...decode(row), passwordHash: row.password_hash as string } : null;
    },

    async create({ email, passwordHash, role }) {
      try {
        const { rows } = await pool.query(
          `INSERT INTO dashboard_users (email, password_hash, role) VALUES ($1, $2, $3)
           RETURNING ${COLUMNS}`,
          [normalizeEmail(email), passwordHash, role],
        );
        return decode(rows[0]);
      } catch (error) {
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) return null;
        throw error;
      }
    },

    async update(id, change) {
      const { rows } = await pool.query(
        `UPDATE dashboard_users SET role = coalesce($2, role), disabled = coalesce($3, disabled),
                session_epoch = session_epoch + 1
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, change.role ?? null, change.disabled ?? null],
      );
      return rows[0] ? decode(rows[0]) : null;
    },

    async setPasswordHash(id, passwordHash) {
      const { rows } = await pool.query(
        `UPDATE dashboard_users SET password_hash = $2, session_epoch = session_epoch + 1
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, passwordHash],
      );
      return rows[0] ? decode(rows[0]) : null;
    },

    async bumpSessionEpoch(id) {
      const { rows } = await pool.query(
        `UPDATE dashboard_users SET session_epoch = session_epoch + 1
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [id],
      );
      return rows[0] ? decode(rows[0]) : null;
    },

    async delete(id) {
      const result = await pool.query('DELETE FROM dashboard_users WHERE id = $1', [id]);
      return result.rowCount === 1;
    },

    async countActiveAdmins() {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM dashboard_users WHERE role = 'admin' AND NOT disabled`,
      );
      return rows[0]?.n ?? 0;
    },

    async countAll() {
      const { rows } = await pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM dashboard_users',
      );
      return rows[0]?.n ?? 0;
    },
  };
}
