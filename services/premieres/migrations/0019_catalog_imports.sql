-- Catalog imports (issue 21, ADR 0023): a file of premieres, validated whole before anything is written, then written
-- in batches by the replica that took it, which records its progress here (and its heartbeat: an import whose replica
-- stopped reads as interrupted; the same file again finishes it, rows being matched by slug).
CREATE TABLE catalog_imports (
    id            uuid PRIMARY KEY,
    admin         text NOT NULL,
    format        text NOT NULL CHECK (format IN ('csv', 'json')),
    status        text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
    total         int NOT NULL,
    done          int NOT NULL DEFAULT 0,
    created       int NOT NULL DEFAULT 0,
    updated       int NOT NULL DEFAULT 0,
    unchanged     int NOT NULL DEFAULT 0,
    error         text,
    started_at    timestamptz NOT NULL DEFAULT now(),
    heartbeat_at  timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz
);
CREATE INDEX catalog_imports_started ON catalog_imports (started_at DESC);
