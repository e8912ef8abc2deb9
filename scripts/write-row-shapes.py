"""Writes the pgbench scripts of scripts/measure-write-rows.sh: each a candidate shape of one memory write.

Every shape inserts a new memory (1 KB of content, a 384-float embedding) the way sql/ lays it out; where a shape has a
completion, it runs in a transaction of its own with synchronous_commit off, as the silo sends it.
"""
import random
import sys

random.seed(7)
WORDS = ["user", "meeting", "project", "travel", "budget", "garden", "recipe", "doctor", "invoice", "weekend"]
CONTENT = ("Bench memory: " + " ".join(random.choice(WORDS) for _ in range(200)))[:1024]
EMBEDDING = "{" + ",".join(f"{random.gauss(0, 0.05):.6f}" for _ in range(384)) + "}"
TRANSACTION = "('00000000-0000-0000-0000-' || lpad(to_hex(:n % 281474976710655), 12, '0'))::uuid"

MEMORY = f"""INSERT INTO episodic_memory AS m (memory_id, agent_id, content, memory_type, importance, metadata, embedding,
    embedding_model, embedding_dim, version, checksum, version_vector, store_versions, hlc, deleted, conflicted, last_modified, activation_epoch)
  VALUES ('pgb-' || :n, 'agent', '{CONTENT}', 'episodic', 0.5, '{{"bench":true}}', '{EMBEDDING}'::real[], 'caller', 384, 1, 'checksum-' || :n,
    '{{"w":1}}', '{{"postgres":1,"redis":0,"faiss":0}}', 1, false, false, now(), 1)
  ON CONFLICT (memory_id) DO UPDATE SET content = EXCLUDED.content, version = EXCLUDED.version
  WHERE m.version = 0 AND m.activation_epoch <= 1
  RETURNING faiss_label"""


def history(with_embedding):
    embedding_column, embedding_value = ("embedding, ", f"'{EMBEDDING}'::real[], ") if with_embedding else ("", "")
    return f"""INSERT INTO memory_versions (memory_id, version, agent_id, content, memory_type, importance, metadata,
    {embedding_column}checksum, version_vector, hlc, deleted, writer_id, transaction_id, created_at)
  SELECT 'pgb-' || :n, 1, 'agent', '{CONTENT}', 'episodic', 0.5, '{{"bench":true}}', {embedding_value}'checksum-' || :n,
    '{{"w":1}}', 1, false, 'w', gen_random_uuid(), now() FROM upserted"""


SYNC_LOG = f"""INSERT INTO sync_transactions (transaction_id, memory_id, version, operation, mode, status, stores, started_at)
  SELECT {TRANSACTION}, 'pgb-' || :n, 1, 'upsert', 'eventual', 'pending', ARRAY['postgres'], now() FROM upserted"""
OUTBOX = f"""INSERT INTO sync_queue (memory_id, version, store, operation, transaction_id, next_attempt_at)
  SELECT 'pgb-' || :n, 1, target.store, 'upsert', {TRANSACTION}, now() + interval '5 s'
  FROM upserted CROSS JOIN (VALUES ('redis'), ('faiss')) AS target(store)"""
MEMORY_HELD = """UPDATE episodic_memory SET store_versions = '{"postgres":1,"redis":1,"faiss":1}'
  WHERE memory_id = 'pgb-' || :n AND version = 1 RETURNING version;"""
OUTBOX_DONE = """done AS (
  UPDATE sync_queue SET status = 'done', completed_at = now(), attempts = attempts + 1
  WHERE memory_id = 'pgb-' || :n AND version <= 1 AND store = ANY(ARRAY['redis','faiss']) AND status IN ('pending', 'dead')
), """
TRANSACTION_CLOSED = f"""logged AS (
  UPDATE sync_transactions SET status = 'committed', stores = ARRAY['postgres','redis','faiss'], finished_at = now(), duration_ms = 1
  WHERE transaction_id = {TRANSACTION}
), closed AS (
  UPDATE sync_transactions SET status = 'committed', finished_at = now()
  WHERE memory_id = 'pgb-' || :n AND version <= 1 AND status = 'pending' AND transaction_id IS DISTINCT FROM {TRANSACTION}
)"""


def commit(*ctes):
    return f"WITH upserted AS (\n{MEMORY}\n)" + "".join(f",\n{name} AS (\n{sql}\n)" for name, sql in ctes) + "\nSELECT faiss_label FROM upserted;\n"


def completion(outbox, transaction):
    ctes = (OUTBOX_DONE if outbox else "") + (TRANSACTION_CLOSED if transaction else "")
    body = (f"WITH {ctes.rstrip(', ')}\n" if ctes else "") + MEMORY_HELD
    return f"BEGIN;\nSET LOCAL synchronous_commit = off;\n{body}\nCOMMIT;\n"


RAW = f"""INSERT INTO bench_raw (memory_id, agent_id, content, memory_type, importance, metadata, embedding, version, last_modified)
VALUES ('pgb-' || :n, 'agent', '{CONTENT}', 'episodic', 0.5, '{{"bench":true}}', '{EMBEDDING}'::real[], 1, now())
ON CONFLICT (memory_id) DO UPDATE SET content = EXCLUDED.content, version = bench_raw.version + 1, last_modified = now();
"""

SHAPES = {
    "1-today": commit(("history", history(True)), ("sync_log", SYNC_LOG), ("outbox", OUTBOX)) + completion(True, True),
    "2-no-outbox-rows": commit(("history", history(True)), ("sync_log", SYNC_LOG)) + completion(False, True),
    "3-memory-and-history": commit(("history", history(True))) + completion(False, False),
    "4-history-without-embedding": commit(("history", history(False))) + completion(False, False),
    "5-no-completion-statement": commit(("history", history(True))),
    "6-memory-row-alone": commit(),
    "7-raw-upsert": RAW,
}

for name, script in SHAPES.items():
    with open(f"{sys.argv[1]}/{name}.sql", "w", encoding="utf-8") as file:
        file.write("\\set n random(1, 1000000000000)\n" + script)
