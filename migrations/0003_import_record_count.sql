-- A netperf/iperf3/flent import stores each record once, as a run (run.detail, one run per record in
-- id order), and its document keeps `"records": []`. Before, the document held every record again:
-- a 256 MiB netperf log made a document past SQLite's 1,000,000,000-byte value limit, so it could
-- not be saved at all, and every log was stored twice over.
-- record_count: how many runs hold the document's records; NULL = the document holds them itself
-- (imports saved before this migration, and files that arrive inside a .rxnb).
ALTER TABLE imported_file ADD COLUMN record_count INTEGER CHECK (record_count IS NULL OR record_count >= 0);
