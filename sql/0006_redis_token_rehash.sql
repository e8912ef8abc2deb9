-- 0006: the token a sweep expects of Redis covers the content itself, not only the checksum a Redis hash carries.
--
-- Before, Redis contributed fingerprint(id, version, checksum) for every hash whose seal matched its fields. Both the
-- checksum and the seal live in the hash, so whoever could write to Redis could edit a memory's content, recompute the
-- seal, keep the checksum, and no sweep would ever see a difference. Now the sweep's Lua re-hashes what Redis holds
-- (SHA-1 of the content, with the agent and type as they are) into the token, and PostgreSQL expects the same hash of
-- its own row: an edited copy contributes a token PostgreSQL never has, whatever seal it carries. Importance and
-- metadata are not re-hashed here (their text forms differ between the stores); the detail phase rebuilds the whole
-- checksum in .NET, and the seal still catches an edit that did not recompute it. Grains.Interfaces/SweepHash.cs
-- (RedisToken) and Grains/Consistency/RedisSweepScripts.cs (DigestStep) compute the same formula.
DROP INDEX IF EXISTS ix_episodic_memory_sweep;

ALTER TABLE episodic_memory DROP COLUMN IF EXISTS redis_token;

ALTER TABLE episodic_memory
    ADD COLUMN redis_token integer GENERATED ALWAYS AS (
        CASE WHEN deleted THEN NULL
             ELSE memsync_fingerprint(memory_id || E'\n' || version::text || E'\n' || checksum || E'\n' || agent_id || E'\n'
                  || memory_type || E'\n' || encode(digest(content, 'sha1'), 'hex')) END) STORED;

CREATE INDEX IF NOT EXISTS ix_episodic_memory_sweep
    ON episodic_memory (sweep_range) INCLUDE (redis_token, faiss_token, embedding_dim);
