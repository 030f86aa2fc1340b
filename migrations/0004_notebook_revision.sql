-- A notebook's cells are saved whole by whichever window or tab edits them. revision counts those
-- saves, and a save names the revision it started from: a save from a window that has not seen the
-- latest one is refused (edit conflict) instead of silently overwriting the other window's work.
ALTER TABLE notebook ADD COLUMN revision INTEGER NOT NULL DEFAULT 0 CHECK (revision >= 0);
