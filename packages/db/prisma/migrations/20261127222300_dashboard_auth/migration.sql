-- Dashboard sign-in (SPEC §8): users with a role, and the ingest API keys admins create.
-- Written by hand in `prisma migrate dev`'s shape; the drift test keeps it equal to schema.prisma.

-- CreateTable
CREATE TABLE "dashboard_users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "dashboard_users_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "dashboard_users_role_check" CHECK ("role" IN ('viewer', 'editor', 'admin')),
    -- Sign-in looks emails up lower-cased; a mixed-case row could never sign in.
    CONSTRAINT "dashboard_users_email_lower_check" CHECK ("email" = lower("email"))
);

-- CreateTable
CREATE TABLE "ingest_api_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "ingest_api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "dashboard_users_email_key" ON "dashboard_users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "ingest_api_keys_key_hash_key" ON "ingest_api_keys"("key_hash");
