-- Player data deletion keeps reward grants, pseudonymised (docs/data-retention.md), and idempotency
-- keys percent-encode ':' and '%' in their user and goal parts (packages/core/src/claim/reward-key.ts).
-- Written by hand like the others; the drift test keeps it equal to schema.prisma.

-- AlterTable
-- claimed_at: the claim's own time, for "already claimed (claimed_at: …)" after the progress row is
-- gone; NULL on grants recorded before this column, whose created_at is the claim time.
-- erased_at: when the grant was pseudonymised because the player's data was deleted.
ALTER TABLE "reward_grants" ADD COLUMN "claimed_at" TIMESTAMPTZ(3),
ADD COLUMN "erased_at" TIMESTAMPTZ(3);

-- Keys written before the encoding are `user:goal:period` unencoded: ambiguous when an id contains
-- ':' (user 'a:b' + goal 'c' and user 'a' + goal 'b:c' shared one key). Ids without ':' or '%'
-- give the same key in both formats, so only grants with such ids are rewritten, and only when no
-- provider can be holding the old key for a delivery still to confirm: granted grants are never
-- sent again, never-attempted ones were never sent. A grant already attempted but not granted
-- keeps its old key (a retry must repeat the key the provider may have seen); claims and
-- deletions find it through its user and goal columns. A rewrite that would take a key another
-- grant holds is skipped the same way.
WITH "legacy" AS (
    SELECT "id", "idempotency_key" AS "old_key",
           replace(replace("user_id", '%', '%25'), ':', '%3A') || ':' ||
           replace(replace("goal_id", '%', '%25'), ':', '%3A') || ':' ||
           substr("idempotency_key", length("user_id") + length("goal_id") + 3) AS "new_key"
      FROM "reward_grants"
     WHERE ("user_id" ~ '[:%]' OR "goal_id" ~ '[:%]')
       AND left("idempotency_key", length("user_id") + length("goal_id") + 2)
           = "user_id" || ':' || "goal_id" || ':'
       AND ("status" = 'granted' OR "attempts" = 0)
), "rewritten" AS (
    UPDATE "reward_grants" AS g
       SET "idempotency_key" = l."new_key"
      FROM "legacy" AS l
     WHERE g."id" = l."id"
       AND NOT EXISTS (SELECT 1 FROM "reward_grants" AS o WHERE o."idempotency_key" = l."new_key")
    RETURNING l."old_key", l."new_key"
)
UPDATE "mock_reward_receipts" AS m
   SET "idempotency_key" = r."new_key"
  FROM "rewritten" AS r
 WHERE m."idempotency_key" = r."old_key"
   AND NOT EXISTS (SELECT 1 FROM "mock_reward_receipts" AS o WHERE o."idempotency_key" = r."new_key");
