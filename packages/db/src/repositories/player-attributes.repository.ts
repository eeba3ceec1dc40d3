import type { PlayerAttributes } from '@challenges/core';
import type pg from 'pg';

/** A player's attributes for audiences (docs/definitions.md#audiences). */
export interface PlayerAttributesRepository {
  /** The stored attributes ({} when the player has none). */
  get(userId: string): Promise<PlayerAttributes>;
  /** Replaces the player's attributes with `attributes` (PUT semantics). */
  replace(userId: string, attributes: PlayerAttributes, at: Date): Promise<void>;
  /** Sets the given keys, keeping the others (JWT claims copied on a call); returns the result. */
  merge(userId: string, attributes: PlayerAttributes, at: Date): Promise<PlayerAttributes>;
}

const GET = 'SELECT attributes FROM player_attributes WHERE user_id = $1';

const REPLACE = `
  INSERT INTO player_attributes (user_id, attributes, updated_at) VALUES ($1, $2::jsonb, $3)
  ON CONFLICT (user_id) DO UPDATE SET attributes = EXCLUDED.attributes, updated_at = EXCLUDED.updated_at`;

const MERGE = `
  INSERT INTO player_attributes AS p (user_id, attributes, updated_at) VALUES ($1, $2::jsonb, $3)
  ON CONFLICT (user_id) DO UPDATE SET attributes = p.attributes || EXCLUDED.attributes,
                                      updated_at = EXCLUDED.updated_at
  RETURNING attributes`;

export function createPlayerAttributesRepository(pool: pg.Pool): PlayerAttributesRepository {
  return {
    async get(userId) {
      const { rows } = await pool.query<{ attributes: PlayerAttributes }>(GET, [userId]);
      return rows[0]?.attributes ?? {};
    },
    async replace(userId, attributes, at) {
      await pool.query(REPLACE, [userId, JSON.stringify(attributes), at]);
    },
    async merge(userId, attributes, at) {
      const { rows } = await pool.query<{ attributes: PlayerAttributes }>(MERGE, [
        userId,
        JSON.stringify(attributes),
        at,
      ]);
      return rows[0]?.attributes ?? attributes;
    },
  };
}
