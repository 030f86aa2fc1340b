-- The stored-runs browser's sort by throughput (core/store/run-query.ts) computed its key per run from
-- three lookups in result and the run's detail JSON, then sorted every run: 1.1–1.3 s at 360,000 runs
-- (two large netperf imports), 2 s for a page deep in the list or with a filter, on every page turn. The
-- key is now a column of the run, indexed: a page reads the next rows of the index (1–27 ms).
--
-- A VIRTUAL generated column of the run's own record (its detail), not a stored one: adding it rewrites
-- no row (an UPDATE of every run took 5.3 s at 360,000 runs; building this index takes 1.7 s), every
-- writer (a simulation, an import, a .rxnb import, a salvage) keeps it right without knowing of it, and
-- it is plain SQL, so any SQLite can write the table (an index on the app's to_mbps function would make
-- a connection without that function fail to insert or delete a run).
--
-- The value is the throughput the list shows: a simulated run's throughput_mbps; else a measured
-- record's throughput in its throughput_units, in Mbit/s as core/contract/units.ts toMbps converts it
-- (written out below for every unit it knows; core/store/sort-throughput.test.ts holds the two to the
-- same numbers); NULL for a simulated TCP_RR run (a few bytes a transaction say nothing) and for a run
-- without a throughput.
--
-- The units are trimmed of what JavaScript's trim removes, and looked up: the known names in a table
-- (netperf's 10^6bits/s among them: the general 10^N case below reads the units again and again, and
-- made building the index four times slower), else 10^N followed by bits/s or Bytes/s (a generated
-- column cannot name a subexpression, so the trimmed units are written out each time). × 8 for bytes is folded into the scale: multiplying by 8 is
-- exact, so value × (scale × 8) / 1e6 is toMbps's (value × scale × bits) / 1e6 to the last bit.
ALTER TABLE run ADD COLUMN sort_throughput_mbps REAL GENERATED ALWAYS AS (
  CASE
    WHEN kind = 'simulated' AND workload = 'rr' THEN NULL
    -- detail has CHECK (json_valid(detail)), but a damaged or hand-edited file may not hold to it: json_type
    -- would then fail this migration's index build, and every later open with it (one bad run locked the
    -- whole store); such a run has no throughput to sort by
    WHEN NOT json_valid(detail) THEN NULL
    WHEN json_type(detail, '$.throughput_mbps') IN ('integer', 'real') THEN json_extract(detail, '$.throughput_mbps')
    WHEN json_type(detail, '$.throughput') IN ('integer', 'real') AND json_type(detail, '$.throughput_units') = 'text' THEN
      json_extract(detail, '$.throughput') * (
        CASE trim(json_extract(detail, '$.throughput_units'), char(9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279))
          WHEN 'bits/s' THEN 1.0 WHEN 'bits/sec' THEN 1.0
          WHEN 'kbits/s' THEN 1e3 WHEN 'kbits/sec' THEN 1e3 WHEN 'Kbits/s' THEN 1e3 WHEN 'Kbits/sec' THEN 1e3
          WHEN 'mbits/s' THEN 1e6 WHEN 'mbits/sec' THEN 1e6 WHEN 'Mbits/s' THEN 1e6 WHEN 'Mbits/sec' THEN 1e6
          WHEN 'gbits/s' THEN 1e9 WHEN 'gbits/sec' THEN 1e9 WHEN 'Gbits/s' THEN 1e9 WHEN 'Gbits/sec' THEN 1e9
          WHEN 'Bytes/s' THEN 8.0 WHEN 'Bytes/sec' THEN 8.0
          WHEN 'kBytes/s' THEN 8192.0 WHEN 'kBytes/sec' THEN 8192.0 WHEN 'KBytes/s' THEN 8192.0 WHEN 'KBytes/sec' THEN 8192.0
          WHEN 'mBytes/s' THEN 8388608.0 WHEN 'mBytes/sec' THEN 8388608.0 WHEN 'MBytes/s' THEN 8388608.0 WHEN 'MBytes/sec' THEN 8388608.0
          WHEN 'gBytes/s' THEN 8589934592.0 WHEN 'gBytes/sec' THEN 8589934592.0 WHEN 'GBytes/s' THEN 8589934592.0 WHEN 'GBytes/sec' THEN 8589934592.0
          WHEN '10^0bits/s' THEN 1.0 WHEN '10^0bits/sec' THEN 1.0 WHEN '10^0Bytes/s' THEN 8.0 WHEN '10^0Bytes/sec' THEN 8.0
          WHEN '10^3bits/s' THEN 1e3 WHEN '10^3bits/sec' THEN 1e3 WHEN '10^3Bytes/s' THEN 8e3 WHEN '10^3Bytes/sec' THEN 8e3
          WHEN '10^6bits/s' THEN 1e6 WHEN '10^6bits/sec' THEN 1e6 WHEN '10^6Bytes/s' THEN 8e6 WHEN '10^6Bytes/sec' THEN 8e6
          WHEN '10^9bits/s' THEN 1e9 WHEN '10^9bits/sec' THEN 1e9 WHEN '10^9Bytes/s' THEN 8e9 WHEN '10^9Bytes/sec' THEN 8e9
          ELSE CASE
            WHEN substr(trim(json_extract(detail, '$.throughput_units'), char(9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279)), 1, 3) = '10^'
             AND ltrim(substr(trim(json_extract(detail, '$.throughput_units'), char(9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279)), 4), '0123456789') IN ('bits/s', 'bits/sec', 'Bytes/s', 'Bytes/sec')
             AND length(ltrim(substr(trim(json_extract(detail, '$.throughput_units'), char(9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279)), 4), '0123456789')) < length(trim(json_extract(detail, '$.throughput_units'), char(9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279))) - 3
            THEN CAST('1e' || substr(trim(json_extract(detail, '$.throughput_units'), char(9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279)), 4, length(trim(json_extract(detail, '$.throughput_units'), char(9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279))) - 3 - length(ltrim(substr(trim(json_extract(detail, '$.throughput_units'), char(9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279)), 4), '0123456789'))) AS REAL)
               * (CASE WHEN ltrim(substr(trim(json_extract(detail, '$.throughput_units'), char(9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279)), 4), '0123456789') GLOB 'Bytes*' THEN 8.0 ELSE 1.0 END)
          END
        END
      ) / 1e6
  END
) VIRTUAL;

-- Sorted, then by id (the list's tie-break), then the filter columns: a filtered page is read from the
-- index alone and in order, so the first matches end the scan, with no sort and no row read to test a filter.
CREATE INDEX run_by_throughput ON run(sort_throughput_mbps, id, kind, system, workload, model_version, imported_file_id);
