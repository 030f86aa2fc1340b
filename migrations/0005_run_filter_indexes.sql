-- The stored-runs browser filters and counts runs by kind, system, workload and model version. Without
-- an index each filter and each facet count scanned the run table, reading every run's detail JSON:
-- 190–250 ms per query at 360,000 runs (one large netperf import holds that many), 0–30 ms with these
-- (covering: the counts never touch the table).
CREATE INDEX run_by_kind ON run(kind, system, workload, model_version);
CREATE INDEX run_by_system ON run(system, workload);
