-- The stat-ledger event model (issue 13, docs/event-model.md): one cumulative ledger row per
-- player × stat key, and goal rows stored relative to it ("anchored"), so an event batch writes
-- its ledgers and only the few rows that cross a threshold, rotate or need an event-set anchor.
-- Written by hand like the others; the drift test keeps it equal to schema.prisma.

-- CreateTable
-- Counters only grow (a value can go down, value_seq cannot); nothing here is ever reset.
-- Hash-partitioned like goal_progress: every query names one player. Updated in place by every
-- event batch, and no indexed column ever changes, so free space per page keeps updates HOT.
CREATE TABLE "stat_ledger" (
    "user_id" TEXT NOT NULL,
    "stat_key" TEXT NOT NULL,
    "seq" BIGINT NOT NULL DEFAULT 0,
    "value" DOUBLE PRECISION,
    "value_seq" BIGINT NOT NULL DEFAULT 0,
    "steps" BIGINT NOT NULL DEFAULT 0,
    "days" INTEGER NOT NULL DEFAULT 0,
    "last_day" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stat_ledger_pkey" PRIMARY KEY ("user_id","stat_key")
) PARTITION BY HASH ("user_id");

CREATE TABLE "stat_ledger_p0" PARTITION OF "stat_ledger" FOR VALUES WITH (MODULUS 8, REMAINDER 0) WITH (fillfactor = 80);
CREATE TABLE "stat_ledger_p1" PARTITION OF "stat_ledger" FOR VALUES WITH (MODULUS 8, REMAINDER 1) WITH (fillfactor = 80);
CREATE TABLE "stat_ledger_p2" PARTITION OF "stat_ledger" FOR VALUES WITH (MODULUS 8, REMAINDER 2) WITH (fillfactor = 80);
CREATE TABLE "stat_ledger_p3" PARTITION OF "stat_ledger" FOR VALUES WITH (MODULUS 8, REMAINDER 3) WITH (fillfactor = 80);
CREATE TABLE "stat_ledger_p4" PARTITION OF "stat_ledger" FOR VALUES WITH (MODULUS 8, REMAINDER 4) WITH (fillfactor = 80);
CREATE TABLE "stat_ledger_p5" PARTITION OF "stat_ledger" FOR VALUES WITH (MODULUS 8, REMAINDER 5) WITH (fillfactor = 80);
CREATE TABLE "stat_ledger_p6" PARTITION OF "stat_ledger" FOR VALUES WITH (MODULUS 8, REMAINDER 6) WITH (fillfactor = 80);
CREATE TABLE "stat_ledger_p7" PARTITION OF "stat_ledger" FOR VALUES WITH (MODULUS 8, REMAINDER 7) WITH (fillfactor = 80);

-- AlterTable
-- `progress` becomes p0, the progress at the anchor; anchor_* are the ledger's counters there.
-- stat_key/unit are the goal's (NULL: the goal was not in the live definitions when the row was
-- anchored). threshold is in `unit`'s ledger reading: -Infinity = any event of the key needs the
-- row, NULL = no event does (only its period's end). Constant defaults: PostgreSQL records them
-- in the catalog, no partition is rewritten by the ADD COLUMN itself; -Infinity is the safe
-- default (a row nobody anchored yet is read by its next event, which anchors it exactly).
ALTER TABLE "goal_progress" ADD COLUMN "anchor_seq" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN "anchor_steps" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN "anchor_days" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "stat_key" TEXT,
ADD COLUMN "unit" TEXT,
ADD COLUMN "threshold" DOUBLE PRECISION DEFAULT '-Infinity',
ADD CONSTRAINT "goal_progress_unit_check" CHECK ("unit" IN ('value', 'steps', 'days'));

-- Data migration: every existing row anchored on an empty ledger (no ledger row exists yet):
-- p0 = progress, anchors 0, so every row derives exactly its stored progress and status. The
-- goal's stat key and unit come from the live definitions (the canonical file format, see
-- core's serializeDefinitions and statKeyOfGoal/unitOf). The threshold stays the column's
-- conservative -Infinity for every row (docs/event-model.md, Migration): the next event of its
-- key reads the row once, runs the per-goal rules on it and writes it back with its exact
-- threshold, so exact thresholds need no rotation arithmetic in SQL. A row of a goal missing
-- from the live definitions keeps stat_key NULL: no event reads it, as the oracle never loads it.
WITH "live" AS (
    SELECT v."content"
      FROM "definition_state" AS s
      JOIN "definition_versions" AS v ON v."version" = s."live_version"
     WHERE s."id" = 1
), "goals" AS (
    SELECT g->>'goalId' AS "goal_id",
           g->>'eventSource' AS "event_source",
           g->>'type' AS "legacy_type",
           g->>'daily' AS "daily",
           g->'requirement'->>'statCode' AS "stat_code",
           -- parseDefinitions: an explicit progressMode wins over the legacy type.
           coalesce(g->'requirement'->>'progressMode',
                    CASE WHEN g->>'type' = 'increment' THEN 'increment' ELSE 'absolute' END)
               AS "progress_mode"
      FROM "live", jsonb_array_elements("live"."content"->'challenges') AS c,
           jsonb_array_elements(c->'goals') AS g
)
UPDATE "goal_progress" AS p
   SET "stat_key" = CASE WHEN g."event_source" = 'login' THEN 'login'
                         ELSE 'stat:' || g."stat_code" END,
       -- derivationOf's order: first-event, daily increment, logins and increment, values.
       "unit" = CASE WHEN g."legacy_type" = 'daily' THEN 'steps'
                     WHEN g."daily" = 'true' AND g."progress_mode" = 'increment' THEN 'days'
                     WHEN g."event_source" = 'login' OR g."progress_mode" = 'increment' THEN 'steps'
                     ELSE 'value' END
  FROM "goals" AS g
 WHERE p."goal_id" = g."goal_id";

-- CreateIndex
-- The candidate scans of an event batch (isCandidate in core): rows of (player, stat key) whose
-- threshold the batch's reading reached, and rows whose period is over (next index). Partial: inactive rows
-- never follow the ledger. Prisma cannot model the WHERE; the drift test sees the columns.
CREATE INDEX "goal_progress_candidate_idx" ON "goal_progress"("user_id", "stat_key", "unit", "threshold") WHERE "is_active";

-- CreateIndex
CREATE INDEX "goal_progress_expiry_idx" ON "goal_progress"("user_id", "stat_key", "expires_at") WHERE "is_active";

-- CreateIndex
-- Rows whose period has not begun (a QA clock set back): its own probe, so each arm of the
-- candidate condition is an index range and the scan never reads the key's other rows. "C":
-- period keys are fixed-width ISO-8601, compared as text in time order.
CREATE INDEX "goal_progress_period_idx" ON "goal_progress"("user_id", "stat_key", "period_key" COLLATE "C") WHERE "is_active";
