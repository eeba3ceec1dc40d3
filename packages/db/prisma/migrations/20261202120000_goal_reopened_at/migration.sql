-- Claim check (4) of SPEC §4 (GOAL_ROTATED). Initialize and events write a stale rotating row
-- back in its new period; once started over it looked like a goal never completed, and a claim
-- answered NOT_COMPLETED. The row now keeps when a rotation reopened it, until the goal is
-- completed (or claimed, or reset from the dashboard) again.
-- Written by hand like the others; the drift test keeps it equal to schema.prisma.

-- AlterTable
-- Nullable without a default: PostgreSQL only records it in the catalog, no partition is rewritten.
ALTER TABLE "goal_progress" ADD COLUMN "reopened_at" TIMESTAMPTZ(3);
