-- Cheaper goal-row writes for the event batches (issue 13, docs/event-model.md, In the
-- database). An event batch rewrites the goal rows it settled: progress, status, anchors and
-- threshold change, the row's key, period and activity do not.
--
-- The threshold and expiry indexes go: the batch's candidate scan (a generic plan, so one
-- probe per key) reads the key's active rows through goal_progress_period_idx's
-- (user_id, stat_key) prefix, and nothing else reads them; yet threshold is in
-- goal_progress_candidate_idx, so every write of a row was a new index entry in all four
-- indexes of its partition.

-- DropIndex
DROP INDEX "goal_progress_candidate_idx";

-- DropIndex
DROP INDEX "goal_progress_expiry_idx";

-- With no written column indexed, a write is a HOT update when the row's page has room: free
-- space left on each page (as stat_ledger's) keeps them so. Pages written from now on; a
-- partition's existing pages keep theirs until rewritten (VACUUM FULL).
ALTER TABLE "goal_progress_p0" SET (fillfactor = 80);
ALTER TABLE "goal_progress_p1" SET (fillfactor = 80);
ALTER TABLE "goal_progress_p2" SET (fillfactor = 80);
ALTER TABLE "goal_progress_p3" SET (fillfactor = 80);
ALTER TABLE "goal_progress_p4" SET (fillfactor = 80);
ALTER TABLE "goal_progress_p5" SET (fillfactor = 80);
ALTER TABLE "goal_progress_p6" SET (fillfactor = 80);
ALTER TABLE "goal_progress_p7" SET (fillfactor = 80);
