-- rxlab schema v1. Append-only: never edit a migration once merged; add 0002_….sql instead.

-- Notebooks are soft-deleted (deleted_at) so "Delete" can be undone.
CREATE TABLE notebook (
  id          INTEGER PRIMARY KEY,
  title       TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  created_at  TEXT    NOT NULL,
  updated_at  TEXT    NOT NULL,
  deleted_at  TEXT
);

-- Cells carry client-generated ids (UUIDs) so autosave can upsert without renumbering,
-- and results can keep pointing at the cell that produced them.
CREATE TABLE cell (
  id           TEXT    PRIMARY KEY,
  notebook_id  INTEGER NOT NULL REFERENCES notebook(id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  kind         TEXT    NOT NULL CHECK (kind IN ('markdown','simulation','sweep','import','compare','plot')),
  config       TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
  output       TEXT    CHECK (output IS NULL OR json_valid(output)),
  stale        INTEGER NOT NULL DEFAULT 0 CHECK (stale IN (0,1)),
  updated_at   TEXT    NOT NULL
);
CREATE INDEX cell_by_notebook ON cell(notebook_id, position);

-- Imported lab logs: the raw bytes are kept so any result can be re-derived.
CREATE TABLE imported_file (
  id              INTEGER PRIMARY KEY,
  sha256          TEXT    NOT NULL UNIQUE CHECK (length(sha256) = 64),
  file_name       TEXT    NOT NULL,
  size_bytes      INTEGER NOT NULL,
  bytes           BLOB    NOT NULL,
  tool            TEXT    NOT NULL,
  format          TEXT    NOT NULL,
  parser_version  TEXT    NOT NULL,
  warnings        TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(warnings)),
  document        TEXT    NOT NULL CHECK (json_valid(document)),
  imported_at     TEXT    NOT NULL
);

-- A run is one simulated run or one measured record. Provenance lives on the row:
-- app and model version, the full parameter set, seed, and the input file's SHA-256.
CREATE TABLE run (
  id                INTEGER PRIMARY KEY,
  kind              TEXT    NOT NULL CHECK (kind IN ('simulated','measured')),
  system            TEXT,
  workload          TEXT,
  label             TEXT,
  parameters        TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(parameters)),
  seed              INTEGER,
  app_version       TEXT    NOT NULL,
  model_version     TEXT,
  input_sha256      TEXT,
  imported_file_id  INTEGER REFERENCES imported_file(id) ON DELETE CASCADE,
  -- model version + parameters + seed: a simulated point is computed once (sweeps run only what is missing)
  cache_key         TEXT    UNIQUE,
  detail            TEXT    CHECK (detail IS NULL OR json_valid(detail)),
  created_at        TEXT    NOT NULL
);
CREATE INDEX run_by_file ON run(imported_file_id);

-- Scalar metrics per run, e.g. throughput_mbps, cycles_per_byte.driver.
CREATE TABLE result (
  run_id  INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
  metric  TEXT    NOT NULL,
  value   REAL,
  unit    TEXT,
  PRIMARY KEY (run_id, metric)
) WITHOUT ROWID;
