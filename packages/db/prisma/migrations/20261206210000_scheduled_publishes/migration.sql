-- Scheduled publishes (SPEC §2.4, docs/definitions.md): a snapshot of the draft to publish at a
-- time, executed exactly once by whichever api replica claims it first (status pending →
-- executed, conditionally, in the publishing transaction), or cancelled before.
CREATE TABLE "scheduled_publish" (
    "id" BIGSERIAL NOT NULL,
    "publish_at" TIMESTAMPTZ(3) NOT NULL,
    "content" JSONB NOT NULL,
    "checksum" TEXT NOT NULL,
    "draft_revision" TIMESTAMPTZ(3),
    "note" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "done_at" TIMESTAMPTZ(3),
    "done_by" TEXT,
    "version" INTEGER,

    CONSTRAINT "scheduled_publish_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "scheduled_publish_status_check"
        CHECK ("status" IN ('pending', 'cancelled', 'executed'))
);

-- What every replica polls each second: the pending ones, earliest first.
CREATE INDEX "scheduled_publish_publish_at_idx" ON "scheduled_publish"("publish_at");

ALTER TABLE "definition_audit" DROP CONSTRAINT "definition_audit_action_check";
ALTER TABLE "definition_audit" ADD CONSTRAINT "definition_audit_action_check"
    CHECK ("action" IN ('publish', 'rollback', 'import', 'update_draft',
                        'schedule_publish', 'cancel_scheduled_publish', 'scheduled_publish'));
