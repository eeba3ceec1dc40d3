import type pg from 'pg';

export interface IngestApiKey {
  id: string;
  name: string;
  /** The first characters of the plaintext key, so an admin can tell keys apart. */
  prefix: string;
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
}

export interface IngestApiKeyRepository {
  list(): Promise<IngestApiKey[]>;
  create(input: {
    name: string;
    keyHash: string;
    prefix: string;
    createdBy: string;
  }): Promise<IngestApiKey>;
  /** Sets revoked_at once; null when the key does not exist. */
  revoke(id: string, at: Date): Promise<IngestApiKey | null>;
  /** true when a key with this hash exists and is not revoked. */
  isActiveHash(keyHash: string): Promise<boolean>;
}

const COLUMNS = 'id, name, prefix, created_at, created_by, revoked_at';

function decode(row: Record<string, unknown>): IngestApiKey {
  return {
    id: row.id as string,
    name: row.name as string,
    prefix: row.prefix as string,
    createdAt: row.created_at as Date,
    createdBy: row.created_by as string,
    revokedAt: (row.revoked_at as Date | null) ?? null,
  };
}

export function createIngestApiKeyRepository(pool: pg.Pool): IngestApiKeyRepository {
  return {
    async list() {
      const { rows } = await pool.query(
        `SELECT ${COLUMNS} FROM ingest_api_keys ORDER BY created_at DESC, name`,
      );
      return rows.map(decode);
    },

    async create({ name, keyHash, prefix, createdBy }) {
      const { rows } = await pool.query(
        `INSERT INTO ingest_api_keys (name, key_hash, prefix, created_by) VALUES ($1, $2, $3, $4)
         RETURNING ${COLUMNS}`,
        [name, keyHash, prefix, createdBy],
      );
      return decode(rows[0]);
    },

    async revoke(id, at) {
      const { rows } = await pool.query(
        `UPDATE ingest_api_keys SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1
         RETURNING ${COLUMNS}`,
        [id, at],
      );
      return rows[0] ? decode(rows[0]) : null;
    },

    async isActiveHash(keyHash) {
      const { rows } = await pool.query(
        'SELECT 1 FROM ingest_api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
        [keyHash],
      );
      return rows.length > 0;
    },
  };
}
