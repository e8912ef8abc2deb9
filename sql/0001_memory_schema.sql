-- 0001: the memory tables of MemorySync.
-- PostgreSQL is the source of truth: every memory, its version history, the sync log, the conflict log and the
-- outbox (sync_queue) that drives Redis and FAISS. Applied once by the migrator (Grains/Migrations), which records it
-- in schema_migrations; it is written to be harmless if run again anyway.

-- The current state of each memory, tombstones included (deleted = true) until every store confirmed the delete.
CREATE TABLE IF NOT EXISTS episodic_memory (
    memory_id       text        PRIMARY KEY,
    -- A stable 64-bit id for the FAISS index, assigned once here so every silo maps a memory to the same label.
    faiss_label     bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    agent_id        text        NOT NULL DEFAULT 'default',
    content         text        NOT NULL,
    memory_type     text        NOT NULL CHECK (memory_type IN ('episodic', 'semantic', 'procedural', 'working')),
    importance      double precision NOT NULL CHECK (importance >= 0 AND importance <= 1),
    metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(metadata) = 'object'),
    embedding       real[],
    -- Provenance of the vector, so a stale or foreign vector can be recognised after a model change.
    embedding_model text,
    embedding_dim   integer     CHECK (embedding_dim IS NULL OR embedding_dim > 0),
    version         bigint      NOT NULL CHECK (version > 0),
    checksum        text        NOT NULL,
    version_vector  jsonb       NOT NULL DEFAULT '{}'::jsonb,
    store_versions  jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- Hybrid logical clock of the last write (wall-clock milliseconds << 16 | logical counter).
    hlc             bigint      NOT NULL DEFAULT 0,
    deleted         boolean     NOT NULL DEFAULT false,
    conflicted      boolean     NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_modified   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS ix_episodic_memory_agent ON episodic_memory (agent_id, memory_type) WHERE NOT deleted;

-- Every version each memory ever had. (memory_id, version) is unique, so a write guarded by the previous version
-- cannot be applied twice and two writers cannot both create the same version.
CREATE TABLE IF NOT EXISTS memory_versions (
    memory_id       text        NOT NULL,
    version         bigint      NOT NULL CHECK (version > 0),
    agent_id        text        NOT NULL,
    content         text        NOT NULL,
    memory_type     text        NOT NULL,
    importance      double precision NOT NULL,
    metadata        jsonb       NOT NULL,
    embedding       real[],
    checksum        text        NOT NULL,
    version_vector  jsonb       NOT NULL DEFAULT '{}'::jsonb,
    hlc             bigint      NOT NULL DEFAULT 0,
    deleted         boolean     NOT NULL DEFAULT false,
    writer_id       text,
    transaction_id  uuid,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (memory_id, version)
);

-- One row per sync: what it touched, how it ended, how long it took and why it failed.
CREATE TABLE IF NOT EXISTS sync_transactions (
    transaction_id  uuid        PRIMARY KEY,
    memory_id       text        NOT NULL,
    version         bigint      NOT NULL,
    operation       text        NOT NULL CHECK (operation IN ('upsert', 'delete', 'repair', 'resolve')),
    mode            text        NOT NULL DEFAULT 'eventual' CHECK (mode IN ('eventual', 'strict')),
    status          text        NOT NULL CHECK (status IN ('pending', 'committed', 'rolled_back', 'failed')),
    stores          text[]      NOT NULL DEFAULT '{}',
    rollback_data   jsonb,
    error           text,
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    duration_ms     double precision
);

CREATE INDEX IF NOT EXISTS ix_sync_transactions_memory ON sync_transactions (memory_id, version);
CREATE INDEX IF NOT EXISTS ix_sync_transactions_open ON sync_transactions (started_at) WHERE status = 'pending';

-- Every conflict and how it was resolved; Manual conflicts stay open here until an operator resolves them.
CREATE TABLE IF NOT EXISTS conflict_resolutions (
    conflict_id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    memory_id        text        NOT NULL,
    strategy         text        NOT NULL CHECK (strategy IN ('latest_wins', 'merge', 'version_vector', 'manual')),
    status           text        NOT NULL CHECK (status IN ('open', 'resolved')),
    current_version  bigint,
    incoming_version bigint,
    current_data     jsonb,
    incoming_data    jsonb,
    resolved_data    jsonb,
    reason           text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    resolved_at      timestamptz
);

CREATE INDEX IF NOT EXISTS ix_conflict_resolutions_open ON conflict_resolutions (memory_id) WHERE status = 'open';

-- The outbox: what Redis and FAISS still have to apply. Written in the same transaction as the memory, so a
-- secondary store that is down loses nothing; one row per (memory, version, store) makes replays harmless.
CREATE TABLE IF NOT EXISTS sync_queue (
    queue_id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    memory_id       text        NOT NULL,
    version         bigint      NOT NULL,
    store           text        NOT NULL CHECK (store IN ('redis', 'faiss')),
    operation       text        NOT NULL CHECK (operation IN ('upsert', 'delete')),
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dead')),
    attempts        integer     NOT NULL DEFAULT 0,
    last_attempt_at timestamptz,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    transaction_id  uuid,
    created_at      timestamptz NOT NULL DEFAULT now(),
    completed_at    timestamptz,
    UNIQUE (memory_id, version, store)
);

CREATE INDEX IF NOT EXISTS ix_sync_queue_due ON sync_queue (next_attempt_at) WHERE status = 'pending';

-- How far each store has caught up with PostgreSQL, one row per memory.
CREATE OR REPLACE VIEW v_memory_sync_status AS
SELECT m.memory_id,
       m.agent_id,
       m.version,
       m.deleted,
       m.conflicted,
       COALESCE((m.store_versions ->> 'redis')::bigint, 0) AS redis_version,
       COALESCE((m.store_versions ->> 'faiss')::bigint, 0) AS faiss_version,
       (SELECT count(*) FROM sync_queue q WHERE q.memory_id = m.memory_id AND q.status = 'pending') AS pending_syncs,
       (SELECT count(*) FROM sync_queue q WHERE q.memory_id = m.memory_id AND q.status = 'dead') AS dead_syncs,
       COALESCE((m.store_versions ->> 'redis')::bigint, 0) >= m.version
           AND COALESCE((m.store_versions ->> 'faiss')::bigint, 0) >= m.version AS in_sync,
       m.last_modified
FROM episodic_memory m;

-- The seed's get_sync_statistics(): counts over memories, the outbox, transactions and conflicts.
CREATE OR REPLACE FUNCTION get_sync_statistics()
RETURNS TABLE (
    total_memories        bigint,
    live_memories         bigint,
    out_of_sync_memories  bigint,
    pending_syncs         bigint,
    dead_syncs            bigint,
    oldest_pending_at     timestamptz,
    committed_transactions bigint,
    failed_transactions   bigint,
    rolled_back_transactions bigint,
    avg_sync_ms           double precision,
    open_conflicts        bigint,
    resolved_conflicts    bigint)
LANGUAGE sql STABLE AS $$
    SELECT (SELECT count(*) FROM episodic_memory),
           (SELECT count(*) FROM episodic_memory WHERE NOT deleted),
           (SELECT count(*) FROM v_memory_sync_status WHERE NOT in_sync),
           (SELECT count(*) FROM sync_queue WHERE status = 'pending'),
           (SELECT count(*) FROM sync_queue WHERE status = 'dead'),
           (SELECT min(created_at) FROM sync_queue WHERE status = 'pending'),
           (SELECT count(*) FROM sync_transactions WHERE status = 'committed'),
           (SELECT count(*) FROM sync_transactions WHERE status = 'failed'),
           (SELECT count(*) FROM sync_transactions WHERE status = 'rolled_back'),
           (SELECT avg(duration_ms) FROM sync_transactions WHERE status = 'committed'),
           (SELECT count(*) FROM conflict_resolutions WHERE status = 'open'),
           (SELECT count(*) FROM conflict_resolutions WHERE status = 'resolved');
$$;

-- The seed's check_memory_consistency(memory_id): which stores are behind PostgreSQL for one memory, as PostgreSQL
-- knows it (a sweep compares the stores' own copies; this is the cheap, recorded view).
CREATE OR REPLACE FUNCTION check_memory_consistency(p_memory_id text)
RETURNS TABLE (store text, store_version bigint, truth_version bigint, consistent boolean)
LANGUAGE sql STABLE AS $$
    SELECT s.store,
           COALESCE((m.store_versions ->> s.store)::bigint, 0),
           m.version,
           COALESCE((m.store_versions ->> s.store)::bigint, 0) >= m.version
    FROM episodic_memory m
    CROSS JOIN (VALUES ('postgres'), ('redis'), ('faiss')) AS s(store)
    WHERE m.memory_id = p_memory_id;
$$;
