-- API keys of the agent-facing surfaces (HTTP /v1 and MCP). The secret itself is never stored: only its SHA-256, which
-- is enough for a random 256-bit secret (no dictionary to attack, so a slow password hash would buy nothing).
CREATE TABLE IF NOT EXISTS api_keys (
    key_id       text PRIMARY KEY,
    secret_hash  bytea NOT NULL,
    agents       text[] NOT NULL,
    scope        text NOT NULL CHECK (scope IN ('read', 'write', 'admin')),
    -- The key's own rate limit, calls a second; null: the silo's Api:RequestsPerSecond.
    requests_per_second integer CHECK (requests_per_second > 0),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    revoked_at   timestamptz
);
