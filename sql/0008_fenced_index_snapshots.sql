-- 0008: index snapshots are fenced, so an older one never replaces a newer one.
--
-- Each activation of an index shard takes the next epoch of its shard here before it loads the shard's snapshot. A
-- save names the epoch of the activation that took it and is refused when a newer activation has claimed the shard
-- since (a shard that lost its lease, or a second activation during a partition), or when the stored snapshot is of a
-- newer epoch or holds a later outbox position (Grains/Index/IndexSnapshotStore.cs explains the order).
CREATE TABLE IF NOT EXISTS index_shard_epochs (
    shard  integer PRIMARY KEY,
    epoch  bigint  NOT NULL CHECK (epoch > 0)
);

-- Snapshots taken before this migration carry epoch 0: any activation's first save replaces them.
ALTER TABLE index_snapshots ADD COLUMN IF NOT EXISTS epoch bigint NOT NULL DEFAULT 0;

COMMENT ON COLUMN index_snapshots.outbox_position IS
    'The highest FAISS outbox queue id whose change this snapshot holds, as tracked by the shard that took it';
