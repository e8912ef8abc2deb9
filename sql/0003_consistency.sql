-- 0003: what consistency sweeps and the persistent index need.
--
-- A sweep compares one digest per range of memory ids in each store before it looks at any record. The ranges and
-- the per-memory tokens are defined by SHA-1 because it is the one hash PostgreSQL (through pgcrypto), Redis (Lua's
-- redis.sha1hex) and .NET all compute natively; Grains/Consistency/SweepHash.cs is the C# side of the same formulas,
-- and docs/consistency.md explains them. SHA-1 is used as a fingerprint here, never for security.
CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- The sweep range (0..4095) of a memory id: the first two bytes of SHA-1(id), modulo 4096.
CREATE OR REPLACE FUNCTION memsync_sweep_range(memory_id text) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ((get_byte(digest(memory_id, 'sha1'), 0) << 8) | get_byte(digest(memory_id, 'sha1'), 1)) % 4096
$$;

-- A 32-bit fingerprint: the first four bytes of SHA-1(text) as a signed integer. A range's digest is the XOR of the
-- fingerprints of its memories, so it does not depend on the order a store lists them in.
CREATE OR REPLACE FUNCTION memsync_fingerprint(value text) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ('x' || encode(substring(digest(value, 'sha1') FROM 1 FOR 4), 'hex'))::bit(32)::integer
$$;

-- Stored, so a sweep's digest query reads them from the index below instead of hashing every row again.
-- redis_token: what Redis should hold for the memory (id, version, checksum); null when Redis should hold nothing.
-- faiss_token: what the index should hold (id, version, label); null when the index should hold nothing.
ALTER TABLE episodic_memory
    ADD COLUMN IF NOT EXISTS sweep_range integer GENERATED ALWAYS AS (memsync_sweep_range(memory_id)) STORED,
    ADD COLUMN IF NOT EXISTS redis_token integer GENERATED ALWAYS AS (
        CASE WHEN deleted THEN NULL
             ELSE memsync_fingerprint(memory_id || E'\n' || version::text || E'\n' || checksum) END) STORED,
    ADD COLUMN IF NOT EXISTS faiss_token integer GENERATED ALWAYS AS (
        CASE WHEN deleted OR embedding IS NULL THEN NULL
             ELSE memsync_fingerprint(memory_id || E'\n' || version::text || E'\n' || faiss_label::text) END) STORED;

CREATE INDEX IF NOT EXISTS ix_episodic_memory_sweep
    ON episodic_memory (sweep_range) INCLUDE (redis_token, faiss_token, embedding_dim);

-- One snapshot per index shard: the serialized FAISS index, its label map, and how far the outbox had reached when it
-- was taken, so an activation restores it and replays only what came after.
CREATE TABLE IF NOT EXISTS index_snapshots (
    shard            integer     PRIMARY KEY,
    factory          text        NOT NULL,
    metric           text        NOT NULL,
    dimension        integer     NOT NULL,
    embedding_model  text,
    vector_count     bigint      NOT NULL,
    -- Every FAISS outbox row up to this queue id was applied (or superseded) when the snapshot was taken.
    outbox_position  bigint      NOT NULL,
    taken_at         timestamptz NOT NULL DEFAULT now(),
    index_data       bytea       NOT NULL,
    label_map        bytea       NOT NULL
);
