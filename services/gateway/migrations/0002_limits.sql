-- Rate limits shared by the gateway replicas (see include/gateway/limits.hpp): what the cluster took per limit,
-- key (account or client address) and fixed window (its number since the epoch). Each replica adds its counts
-- every ~200 ms in one statement; rows are deleted once their window can no longer matter (expires_at).
CREATE TABLE rate_limit_windows (
    name        text NOT NULL,     -- the limit and its window in ms: 'api/5000', 'register/50000'
    key         text NOT NULL,     -- 'user:<id>' or 'addr:<client address>'
    window_no   bigint NOT NULL,   -- milliseconds since the epoch / the limit's window length
    n           bigint NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (name, key, window_no)
);
CREATE INDEX rate_limit_windows_expiry ON rate_limit_windows (expires_at);

-- Failed logins, one row per account and per client address each time: read on every login attempt.
CREATE TABLE login_failures (
    scope      text NOT NULL CHECK (scope IN ('account', 'address')),
    key        text NOT NULL,
    failed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_key ON login_failures (scope, key, failed_at);
CREATE INDEX login_failures_age ON login_failures (failed_at);
