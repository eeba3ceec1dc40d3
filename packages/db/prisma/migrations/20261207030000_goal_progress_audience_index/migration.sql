-- A publish that changes an audience (docs/definitions.md#audiences) reads the active rows of
-- the goals concerned, ordered by player, under the definitions fence: without an index on
-- goal_id that was a scan of every goal row and a sort. Per partition this index gives the
-- goal's active rows already in player order (a merge append, no sort).
--
-- Neither column changes once a row exists, and event batches do not change is_active, so
-- their writes stay HOT (20261206120000_goal_progress_hot_writes); a new row costs one more
-- index entry.

-- CreateIndex
CREATE INDEX "goal_progress_audience_idx" ON "goal_progress"("goal_id", "user_id") WHERE "is_active";
