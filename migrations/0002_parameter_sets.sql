-- Named parameter sets: costs fitted to a user's own measured tables (rxlab sweep calibrate),
-- selectable by Simulation cells and sweeps. The fit report (residuals before/after) is kept with them.
CREATE TABLE parameter_set (
  name          TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 100),
  params        TEXT NOT NULL CHECK (json_valid(params)),
  report        TEXT CHECK (report IS NULL OR json_valid(report)),
  model_version TEXT NOT NULL,
  created_at    TEXT NOT NULL
);
