-- Player attributes for audiences (docs/definitions.md#audiences): one row per player, the
-- attributes as one JSON object of scalars, replaced whole by PUT /v1/players/{id}/attributes
-- and merged with the configured JWT claims on a player's call. Read only when the live
-- definitions hold an audience.
CREATE TABLE "player_attributes" (
  "user_id" text NOT NULL,
  "attributes" jsonb NOT NULL,
  "updated_at" timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT "player_attributes_pkey" PRIMARY KEY ("user_id"),
  CONSTRAINT "player_attributes_object" CHECK (jsonb_typeof("attributes") = 'object')
);
