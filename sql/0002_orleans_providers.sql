-- 0002_orleans_providers.sql
--
-- MemorySync's own PostgreSQL (15+) schema for two Orleans 10 ADO.NET providers,
-- used with the ADO.NET invariant "Npgsql":
--   * Microsoft.Orleans.Persistence.AdoNet (grain storage)
--   * Microsoft.Orleans.Reminders.AdoNet   (reminder table)
-- Clustering is not here: MemorySync clusters through Redis.
--
-- Both providers load their SQL at startup with
--   SELECT QueryKey, QueryText FROM OrleansQuery
-- and then run the query texts with named parameters (@Name).
-- This file stores these query keys in that table:
--
--   Grain storage
--     ReadFromStorageKey    -> columns PayloadBinary, Version (no row = never written)
--     WriteToStorageKey     -> column NewGrainStateVersion (no row = version conflict)
--     ClearStorageKey       -> one column: the new version (no row = version conflict)
--     DeleteStorageKey      -> one column: old version + 1 (no row = version conflict);
--                              only used when DeleteStateOnClear = true
--   Reminders (the reminder provider refuses to start if any of these is missing)
--     ReadReminderRowsKey   -> GrainId, ReminderName, StartTime, Period, Version
--     ReadReminderRowKey    -> same columns, at most one row
--     ReadRangeRows1Key     -> same columns, hash range that does not wrap
--     ReadRangeRows2Key     -> same columns, hash range that wraps around
--     UpsertReminderRowKey  -> column Version (the new ETag)
--     DeleteReminderRowKey  -> one boolean column, always exactly one row
--     DeleteReminderRowsKey -> nothing (deletes all reminders of a service)
--
-- Safe to run more than once: everything is IF NOT EXISTS / OR REPLACE / ON CONFLICT.

------------------------------------------------------------------------------
-- Query table
------------------------------------------------------------------------------

-- The providers query "OrleansQuery" without quotes, so PostgreSQL folds the
-- table and column names to lower case. Keep them unquoted here too.
CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64) NOT NULL PRIMARY KEY,
    querytext text        NOT NULL
);

------------------------------------------------------------------------------
-- Shared helper
------------------------------------------------------------------------------

-- Versions are int4 because the providers parse ETags with int.Parse.
-- Start over at 1 instead of overflowing on a very busy row.
CREATE OR REPLACE FUNCTION orleans_next_version(current_version integer)
RETURNS integer
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT CASE
               WHEN current_version IS NULL OR current_version >= 2147483647 THEN 1
               ELSE current_version + 1
           END;
$$;

------------------------------------------------------------------------------
-- Grain storage
------------------------------------------------------------------------------

-- One row per (service, state name, grain key).
-- Note: Orleans passes the state name (e.g. "state" for Grain<T>, or the
-- [PersistentState] name) as @GrainTypeString, not the grain class. The grain
-- type is not part of the key the provider sends.
-- Key mapping from the provider:
--   integer key -> n0 = 0,      n1 = key,        extension = key extension or NULL
--   Guid key    -> n0/n1 = the two halves,        extension = key extension or NULL
--   string key  -> n0 = n1 = 0,                   extension = the string key
CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_id         text        NOT NULL,
    state_name         text        NOT NULL,
    state_name_hash    integer     NOT NULL,
    grain_id_n0        bigint      NOT NULL,
    grain_id_n1        bigint      NOT NULL,
    grain_id_extension text        NULL,
    grain_id_hash      integer     NOT NULL,
    -- NULL payload means "cleared but the row (and its version) is kept".
    payload_binary     bytea       NULL,
    version            integer     NOT NULL,
    created_on         timestamptz NOT NULL DEFAULT now(),
    modified_on        timestamptz NOT NULL DEFAULT now()
);

-- Makes a grain's identity unique so two racing first writes cannot both insert.
-- The hashes come first so lookups can use this index. The text parts go in
-- as md5 so long string keys still fit in an index entry, and NULLS NOT DISTINCT
-- (PostgreSQL 15) keeps a NULL key extension from allowing duplicates.
CREATE UNIQUE INDEX IF NOT EXISTS orleans_grain_state_identity_ux
    ON orleans_grain_state (grain_id_hash, state_name_hash, grain_id_n0, grain_id_n1,
                            md5(service_id), md5(state_name), md5(grain_id_extension))
    NULLS NOT DISTINCT;

-- Write with optimistic concurrency.
-- Expected version NULL: the grain believes no row exists, so only insert.
-- Otherwise: update only if the stored version still matches.
-- Returns the new version, or no row when the caller's version is stale;
-- the provider turns "no row" into an InconsistentStateException.
CREATE OR REPLACE FUNCTION orleans_grain_state_write(
    p_grain_id_hash      integer,
    p_grain_id_n0        bigint,
    p_grain_id_n1        bigint,
    p_state_name_hash    integer,
    p_state_name         text,
    p_grain_id_extension text,
    p_service_id         text,
    p_expected_version   integer,
    p_payload            bytea)
RETURNS SETOF integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_new_version integer;
BEGIN
    IF p_expected_version IS NULL THEN
        -- If the row already exists (another activation wrote first), do nothing.
        INSERT INTO orleans_grain_state
            (service_id, state_name, state_name_hash, grain_id_n0, grain_id_n1,
             grain_id_extension, grain_id_hash, payload_binary, version)
        VALUES
            (p_service_id, p_state_name, p_state_name_hash, p_grain_id_n0, p_grain_id_n1,
             p_grain_id_extension, p_grain_id_hash, p_payload, 1)
        ON CONFLICT DO NOTHING
        RETURNING version INTO v_new_version;
    ELSE
        UPDATE orleans_grain_state
           SET payload_binary = p_payload,
               version        = orleans_next_version(version),
               modified_on    = now()
         WHERE grain_id_hash = p_grain_id_hash
           AND state_name_hash = p_state_name_hash
           AND grain_id_n0 = p_grain_id_n0
           AND grain_id_n1 = p_grain_id_n1
           AND service_id = p_service_id
           AND state_name = p_state_name
           AND grain_id_extension IS NOT DISTINCT FROM p_grain_id_extension
           AND version = p_expected_version
        RETURNING version INTO v_new_version;
    END IF;

    IF v_new_version IS NOT NULL THEN
        RETURN NEXT v_new_version;
    END IF;
END;
$$;

-- Clear (DeleteStateOnClear = false): drop the payload but keep the row and
-- bump its version, so a stale copy of the grain still gets a conflict later.
CREATE OR REPLACE FUNCTION orleans_grain_state_clear(
    p_grain_id_hash      integer,
    p_grain_id_n0        bigint,
    p_grain_id_n1        bigint,
    p_state_name_hash    integer,
    p_state_name         text,
    p_grain_id_extension text,
    p_service_id         text,
    p_expected_version   integer)
RETURNS SETOF integer
LANGUAGE sql
AS $$
    UPDATE orleans_grain_state
       SET payload_binary = NULL,
           version        = orleans_next_version(version),
           modified_on    = now()
     WHERE grain_id_hash = p_grain_id_hash
       AND state_name_hash = p_state_name_hash
       AND grain_id_n0 = p_grain_id_n0
       AND grain_id_n1 = p_grain_id_n1
       AND service_id = p_service_id
       AND state_name = p_state_name
       AND grain_id_extension IS NOT DISTINCT FROM p_grain_id_extension
       AND version = p_expected_version
    RETURNING version;
$$;

-- Clear (DeleteStateOnClear = true): remove the row if the version matches.
-- The provider still needs a value that differs from the grain's ETag to know
-- the delete happened, so return old version + 1. It then sets the ETag to null.
CREATE OR REPLACE FUNCTION orleans_grain_state_delete(
    p_grain_id_hash      integer,
    p_grain_id_n0        bigint,
    p_grain_id_n1        bigint,
    p_state_name_hash    integer,
    p_state_name         text,
    p_grain_id_extension text,
    p_service_id         text,
    p_expected_version   integer)
RETURNS SETOF integer
LANGUAGE sql
AS $$
    DELETE FROM orleans_grain_state
     WHERE grain_id_hash = p_grain_id_hash
       AND state_name_hash = p_state_name_hash
       AND grain_id_n0 = p_grain_id_n0
       AND grain_id_n1 = p_grain_id_n1
       AND service_id = p_service_id
       AND state_name = p_state_name
       AND grain_id_extension IS NOT DISTINCT FROM p_grain_id_extension
       AND version = p_expected_version
    RETURNING orleans_next_version(version);
$$;

------------------------------------------------------------------------------
-- Reminders
------------------------------------------------------------------------------

-- Reminder ETags come from one sequence, so a deleted and re-created reminder
-- never gets an ETag that an old copy might still hold.
CREATE SEQUENCE IF NOT EXISTS orleans_reminder_version_seq AS integer MINVALUE 1 CYCLE;

-- grain_id is GrainId.ToString(); grain_hash is the grain's uniform hash code
-- stored as a signed int, which is how the provider sends and compares it.
CREATE TABLE IF NOT EXISTS orleans_reminder
(
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    grain_hash    integer     NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    version       integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

-- Silos load reminders by hash range of the ring they own.
CREATE INDEX IF NOT EXISTS orleans_reminder_hash_ix
    ON orleans_reminder (service_id, grain_hash);

------------------------------------------------------------------------------
-- Query texts
------------------------------------------------------------------------------

-- Column aliases are quoted so the names match what the providers ask for.
INSERT INTO orleansquery (querykey, querytext)
VALUES
-- Grain storage ----------------------------------------------------------
('ReadFromStorageKey', '
SELECT payload_binary AS "PayloadBinary",
       version        AS "Version"
  FROM orleans_grain_state
 WHERE grain_id_hash = @GrainIdHash
   AND state_name_hash = @GrainTypeHash
   AND grain_id_n0 = @GrainIdN0
   AND grain_id_n1 = @GrainIdN1
   AND service_id = @ServiceId
   AND state_name = @GrainTypeString
   AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString;
'),
('WriteToStorageKey', '
SELECT new_version AS "NewGrainStateVersion"
  FROM orleans_grain_state_write(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash,
                                 @GrainTypeString, @GrainIdExtensionString, @ServiceId,
                                 @GrainStateVersion, @PayloadBinary) AS new_version;
'),
('ClearStorageKey', '
SELECT new_version AS "Version"
  FROM orleans_grain_state_clear(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash,
                                 @GrainTypeString, @GrainIdExtensionString, @ServiceId,
                                 @GrainStateVersion) AS new_version;
'),
('DeleteStorageKey', '
SELECT new_version AS "Version"
  FROM orleans_grain_state_delete(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash,
                                  @GrainTypeString, @GrainIdExtensionString, @ServiceId,
                                  @GrainStateVersion) AS new_version;
'),
-- Reminders --------------------------------------------------------------
('ReadReminderRowsKey', '
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
  FROM orleans_reminder
 WHERE service_id = @ServiceId
   AND grain_id = @GrainId;
'),
('ReadReminderRowKey', '
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
  FROM orleans_reminder
 WHERE service_id = @ServiceId
   AND grain_id = @GrainId
   AND reminder_name = @ReminderName;
'),
-- Used when (signed) BeginHash < EndHash: the range (BeginHash, EndHash].
('ReadRangeRows1Key', '
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
  FROM orleans_reminder
 WHERE service_id = @ServiceId
   AND grain_hash > @BeginHash
   AND grain_hash <= @EndHash;
'),
-- Otherwise the range wraps past the end of the ring (BeginHash = EndHash is the whole ring).
('ReadRangeRows2Key', '
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
  FROM orleans_reminder
 WHERE service_id = @ServiceId
   AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
'),
-- Every upsert hands out a fresh ETag, even when racing upserts hit the same row.
('UpsertReminderRowKey', '
INSERT INTO orleans_reminder
    (service_id, grain_id, reminder_name, grain_hash, start_time, period_ms, version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @GrainHash, @StartTime, @Period,
     nextval(''orleans_reminder_version_seq''))
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
   SET grain_hash = EXCLUDED.grain_hash,
       start_time = EXCLUDED.start_time,
       period_ms  = EXCLUDED.period_ms,
       version    = EXCLUDED.version
RETURNING version AS "Version";
'),
-- The provider reads exactly one row with one column as a boolean.
('DeleteReminderRowKey', '
WITH removed AS (
    DELETE FROM orleans_reminder
     WHERE service_id = @ServiceId
       AND grain_id = @GrainId
       AND reminder_name = @ReminderName
       AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM removed) AS "Deleted";
'),
('DeleteReminderRowsKey', '
DELETE FROM orleans_reminder
 WHERE service_id = @ServiceId;
')
ON CONFLICT (querykey) DO UPDATE
    SET querytext = EXCLUDED.querytext;
