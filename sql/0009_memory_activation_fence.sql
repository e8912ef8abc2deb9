-- 0009: a memory's writes are fenced by the activation that makes them.
--
-- Orleans keeps one activation of a memory, except around a failure: a silo frozen or cut off is declared dead, the
-- memory activates on a survivor, and the old activation may still run for seconds (a thawed silo works through the
-- calls it had queued before it learns it is dead). Guarded by the version alone, such a late write commits on top of
-- what the new activation loaded, and the new one goes on answering reads with the version before it. So each
-- activation takes an epoch from this sequence (newer activations, higher epochs) and raises the memory's row to it
-- whenever it reads PostgreSQL; a commit is refused when the row names a newer activation than the committer's
-- (Grains/Stores/PostgresEpisodicStore.cs).
CREATE SEQUENCE IF NOT EXISTS memory_activation_epochs AS bigint MINVALUE 1;

-- Rows written before this migration carry epoch 0: the first activation to read them takes them over.
ALTER TABLE episodic_memory ADD COLUMN IF NOT EXISTS activation_epoch bigint NOT NULL DEFAULT 0;
