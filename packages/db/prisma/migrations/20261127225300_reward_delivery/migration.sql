-- Reward delivery (SPEC §7): every state change of a reward grant (and every failed attempt) is
-- audited, so live-ops can see why a grant sits in the dead letter list and who retried it.
-- Written by hand like the others; the drift test keeps it equal to schema.prisma.

-- CreateTable
CREATE TABLE "reward_grant_events" (
    "id" BIGSERIAL NOT NULL,
    "grant_id" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "from_status" TEXT NOT NULL,
    "to_status" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "error" TEXT,
    "actor" TEXT NOT NULL,

    CONSTRAINT "reward_grant_events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "reward_grant_events_to_status_check"
        CHECK ("to_status" IN ('pending', 'granted', 'failed'))
);

-- CreateIndex
CREATE INDEX "reward_grant_events_grant_id_at_idx" ON "reward_grant_events"("grant_id", "at");

-- No foreign key to reward_grants on purpose: test suites TRUNCATE reward_grants alone, and an
-- audit row may outlive its grant (player data deletion keeps the trail of what was granted).

-- The dead letter list and the dashboard filter by status, newest first.
-- CreateIndex
CREATE INDEX "reward_grants_status_id_idx" ON "reward_grants"("status", "id");
