-- Written by hand in the shape `prisma migrate dev` produces (it cannot run offline); the drift
-- test keeps it equal to schema.prisma.

-- CreateTable
-- Hash-partitioned on user_id (SPEC §1): every player query names one user, so it touches one
-- partition, and partitions can later move to their own tablespaces or be vacuumed separately.
CREATE TABLE "goal_progress" (
    "user_id" TEXT NOT NULL,
    "goal_id" TEXT NOT NULL,
    "challenge_id" TEXT NOT NULL,
    "progress" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL,
    "completed_at" TIMESTAMPTZ(3),
    "claimed_at" TIMESTAMPTZ(3),
    "is_active" BOOLEAN NOT NULL,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "baseline" DOUBLE PRECISION,
    "period_key" TEXT,
    "last_increment_day" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "goal_progress_pkey" PRIMARY KEY ("user_id","goal_id"),
    CONSTRAINT "goal_progress_status_check"
        CHECK ("status" IN ('not_started', 'in_progress', 'completed', 'claimed'))
) PARTITION BY HASH ("user_id");

-- Progress rows are updated in place by every event; free space per page keeps those updates
-- HOT (no index columns change), so they skip index maintenance.
CREATE TABLE "goal_progress_p0" PARTITION OF "goal_progress" FOR VALUES WITH (MODULUS 8, REMAINDER 0) WITH (fillfactor = 85);
CREATE TABLE "goal_progress_p1" PARTITION OF "goal_progress" FOR VALUES WITH (MODULUS 8, REMAINDER 1) WITH (fillfactor = 85);
CREATE TABLE "goal_progress_p2" PARTITION OF "goal_progress" FOR VALUES WITH (MODULUS 8, REMAINDER 2) WITH (fillfactor = 85);
CREATE TABLE "goal_progress_p3" PARTITION OF "goal_progress" FOR VALUES WITH (MODULUS 8, REMAINDER 3) WITH (fillfactor = 85);
CREATE TABLE "goal_progress_p4" PARTITION OF "goal_progress" FOR VALUES WITH (MODULUS 8, REMAINDER 4) WITH (fillfactor = 85);
CREATE TABLE "goal_progress_p5" PARTITION OF "goal_progress" FOR VALUES WITH (MODULUS 8, REMAINDER 5) WITH (fillfactor = 85);
CREATE TABLE "goal_progress_p6" PARTITION OF "goal_progress" FOR VALUES WITH (MODULUS 8, REMAINDER 6) WITH (fillfactor = 85);
CREATE TABLE "goal_progress_p7" PARTITION OF "goal_progress" FOR VALUES WITH (MODULUS 8, REMAINDER 7) WITH (fillfactor = 85);

-- CreateTable
CREATE TABLE "reward_grants" (
    "id" BIGSERIAL NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "goal_id" TEXT NOT NULL,
    "challenge_id" TEXT NOT NULL,
    "reward_type" TEXT NOT NULL,
    "reward_id" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "provider" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "next_attempt_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "granted_at" TIMESTAMPTZ(3),

    CONSTRAINT "reward_grants_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "reward_grants_status_check" CHECK ("status" IN ('pending', 'granted', 'failed'))
);

-- CreateTable
CREATE TABLE "mock_reward_receipts" (
    "id" BIGSERIAL NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "reward_type" TEXT NOT NULL,
    "reward_id" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mock_reward_receipts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "reward_grants_idempotency_key_key" ON "reward_grants"("idempotency_key");

-- CreateIndex
CREATE INDEX "reward_grants_status_next_attempt_at_idx" ON "reward_grants"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "reward_grants_user_id_idx" ON "reward_grants"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "mock_reward_receipts_idempotency_key_key" ON "mock_reward_receipts"("idempotency_key");

-- CreateIndex
CREATE INDEX "mock_reward_receipts_user_id_idx" ON "mock_reward_receipts"("user_id");
