-- Room on each page for the next version of a memory's row, so the update that records which stores hold a version
-- (store_versions, after every write) is HOT: the new row version lands on the same page, no index is touched, and the
-- WAL record carries only the changed bytes. Applies to pages written from now on.
ALTER TABLE episodic_memory SET (fillfactor = 80);
