-- Load-test history (SPEC §11): one row per run of `npm run loadtest`, started from the CLI or
-- the dashboard. The runner writes progress every second and the report when it ends, so the
-- dashboard can follow a run it spawned without talking to the child process.
-- Written by hand like the others; the drift test keeps it equal to schema.prisma.

-- CreateTable
CREATE TABLE "load_test_runs" (
    "id" TEXT NOT NULL,
    "scenario" TEXT NOT NULL,
    "options" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "progress" JSONB,
    "report" JSONB,
    "report_md" TEXT,
    "error" TEXT,

    CONSTRAINT "load_test_runs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "load_test_runs_status_check"
        CHECK ("status" IN ('running', 'completed', 'failed', 'cancelled'))
);

-- The history page lists the newest runs first.
-- CreateIndex
CREATE INDEX "load_test_runs_started_at_idx" ON "load_test_runs"("started_at");
