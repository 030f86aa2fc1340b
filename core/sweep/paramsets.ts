/**
 * Named parameter sets (e.g. costs fitted to a user's own logs) that sweeps and Simulation cells can
 * start from. Storage needs a table the lead adds as a migration:
 *
 *   CREATE TABLE parameter_set (
 *     name        TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 100),
 *     params      TEXT NOT NULL CHECK (json_valid(params)),
 *     report      TEXT CHECK (report IS NULL OR json_valid(report)),
 *     model_version TEXT NOT NULL,
 *     created_at  TEXT NOT NULL
 *   );
 *
 * In a database without it (older files opened read-only), reads return nothing and saving throws a clear error.
 */
import type { Db } from '../store/db.js';
import { nowIso } from '../store/db.js';
import type { KnobValue } from './types.js';
import { NotFoundError } from '../store/notebooks.js';
import { DEFAULT_PARAMS, validateParams, type Params } from '../sim/params.js';

export interface ParameterSet {
  name: string;
  params: Record<string, KnobValue>;
  /** Calibration report (residuals before/after, fit settings), as produced by the fitter. */
  report: unknown;
  modelVersion: string;
  createdAt: string;
}

export function hasParameterSetTable(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'parameter_set'").get() !== undefined;
}

interface Row {
  name: string;
  params: string;
  report: string | null;
  model_version: string;
  created_at: string;
}

const hydrate = (r: Row): ParameterSet => ({
  name: r.name,
  params: JSON.parse(r.params) as Record<string, KnobValue>,
  report: r.report === null ? null : (JSON.parse(r.report) as unknown),
  modelVersion: r.model_version,
  createdAt: r.created_at,
});

export function listParameterSets(db: Db): ParameterSet[] {
  if (!hasParameterSetTable(db)) return [];
  return (db.prepare('SELECT * FROM parameter_set ORDER BY name').all() as Row[]).map(hydrate);
}

export function getParameterSet(db: Db, name: string): ParameterSet | undefined {
  if (!hasParameterSetTable(db)) return undefined;
  const r = db.prepare('SELECT * FROM parameter_set WHERE name = ?').get(name) as Row | undefined;
  return r ? hydrate(r) : undefined;
}

/** A set the API was asked for by name: a missing one is not-found, named, with where to look. */
export function requireParameterSet(db: Db, name: string): ParameterSet {
  const ps = getParameterSet(db, name);
  if (!ps) throw new NotFoundError(`parameter set "${name}" does not exist (rxlab sweep params lists them)`);
  return ps;
}

/** A saved set as a full parameter set: knobs it predates take their defaults. */
export function parameterSetParams(ps: ParameterSet): Params {
  return validateParams({ ...DEFAULT_PARAMS, ...ps.params });
}

/** Saves (or replaces, with replace: true) a named set. */
export function saveParameterSet(
  db: Db,
  ps: { name: string; params: Record<string, KnobValue>; report?: unknown; modelVersion: string },
  opts: { replace?: boolean } = {},
): ParameterSet {
  if (!hasParameterSetTable(db)) {
    throw new Error('this database has no parameter_set table yet (needs the migration that adds it); the fit was not saved');
  }
  const name = ps.name.trim();
  if (name.length < 1 || name.length > 100) throw new Error('parameter set name: 1–100 characters');
  const exists = getParameterSet(db, name) !== undefined;
  if (exists && !opts.replace) throw new Error(`a parameter set named "${name}" exists already (choose another name or replace it)`);
  const createdAt = nowIso();
  db.prepare('INSERT OR REPLACE INTO parameter_set(name, params, report, model_version, created_at) VALUES (?,?,?,?,?)').run(
    name,
    JSON.stringify(ps.params),
    ps.report === undefined ? null : JSON.stringify(ps.report),
    ps.modelVersion,
    createdAt,
  );
  return { name, params: ps.params, report: ps.report ?? null, modelVersion: ps.modelVersion, createdAt };
}

/** Deletes a named set; false when there is none. Runs stored from it keep its parameters in their provenance. */
export function deleteParameterSet(db: Db, name: string): boolean {
  if (!hasParameterSetTable(db)) return false;
  return db.prepare('DELETE FROM parameter_set WHERE name = ?').run(name).changes > 0;
}
