-- Dead letters are found again when their store recovers (and by memsync outbox retry): a partial index keeps that
-- look-up as small as the dead rows themselves, however many pending and completed rows the outbox holds.
CREATE INDEX IF NOT EXISTS ix_sync_queue_dead ON sync_queue (queue_id) WHERE status = 'dead';
