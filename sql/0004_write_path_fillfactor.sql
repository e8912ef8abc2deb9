-- Room on each page for the next version of a row, so the updates of every write's bookkeeping (store_versions on
-- the memory, the sync transaction closed) are HOT: the new row version lands on the same page, no index is touched,
-- and the WAL record carries only the changed bytes. Applies to pages written from now on.
ALTER TABLE episodic_memory SET (fillfactor = 80);
ALTER TABLE sync_transactions SET (fillfactor = 80);
