-- Server-side session revocation (issue 10, finding 8): every dashboard session cookie carries
-- the user's epoch at sign-in and is accepted only while it still equals this column. Sign-out,
-- a role change, disabling and any password change bump it, so copied cookies stop working.
-- Existing cookies have no epoch and end: everyone signs in once after this migration.

-- AlterTable
ALTER TABLE "dashboard_users" ADD COLUMN "session_epoch" INTEGER NOT NULL DEFAULT 0;
