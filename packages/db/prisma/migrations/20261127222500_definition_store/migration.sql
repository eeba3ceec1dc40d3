-- Live-ops definition store (SPEC §2.3): immutable published versions, one draft, which version
-- is live, and an audit trail. Written by hand like the others; the drift test keeps it equal to
-- schema.prisma.

-- CreateTable
-- `content` is the canonical file format (core's serializeDefinitions); a row is never updated.
CREATE TABLE "definition_versions" (
    "id" BIGSERIAL NOT NULL,
    "version" INTEGER NOT NULL,
    "content" JSONB NOT NULL,
    "checksum" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,
    "note" TEXT,

    CONSTRAINT "definition_versions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "definition_versions_version_check" CHECK ("version" > 0)
);

-- CreateTable
-- Single row (id = 1). Holds whatever live-ops saved, valid or not: validation happens on publish.
CREATE TABLE "definition_draft" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "content" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT NOT NULL,
    "base_version" INTEGER,

    CONSTRAINT "definition_draft_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "definition_draft_single_row" CHECK ("id" = 1)
);

-- CreateTable
-- Single row (id = 1): every process polls this one row each second, so it stays tiny.
CREATE TABLE "definition_state" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "live_version" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "definition_state_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "definition_state_single_row" CHECK ("id" = 1)
);

-- CreateTable
CREATE TABLE "definition_audit" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "version" INTEGER,
    "summary" JSONB NOT NULL,

    CONSTRAINT "definition_audit_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "definition_audit_action_check"
        CHECK ("action" IN ('publish', 'rollback', 'import', 'update_draft'))
);

-- CreateIndex
CREATE UNIQUE INDEX "definition_versions_version_key" ON "definition_versions"("version");
