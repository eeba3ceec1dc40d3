-- Exactly-once event application (SPEC §6). Written by hand like the init migration.

-- CreateTable
-- One row per applied job: inserted in the same transaction as the batch's progress writes, so a
-- job retried after the commit but before the queue's ack finds its id and changes nothing.
CREATE TABLE "applied_event_batches" (
    "batch_id" TEXT NOT NULL,
    "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "applied_event_batches_pkey" PRIMARY KEY ("batch_id")
);

-- CreateTable
-- Producer event ids seen in the last 24 h: a redelivered event (same id) has no effect. Rows
-- older than the window are deleted by the worker's housekeeping (and are overwritten if their
-- id comes back before that).
CREATE TABLE "event_dedup" (
    "event_id" TEXT NOT NULL,
    "seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_dedup_pkey" PRIMARY KEY ("event_id")
);

-- CreateIndex
CREATE INDEX "applied_event_batches_applied_at_idx" ON "applied_event_batches"("applied_at");

-- CreateIndex
CREATE INDEX "event_dedup_seen_at_idx" ON "event_dedup"("seen_at");
