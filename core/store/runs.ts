import { createHash } from 'node:crypto';
import type { StoredRun } from '../contract/index.js';
import { APP_VERSION } from '../version.js';
import type { Statement } from 'better-sqlite3';
import { nowIso, type Db } from './db.js';

import { stableStringify } from '../contract/stable-json.js';

export { stableStringify };

/** A simulated point is identified by model version + full parameters + seed + workload. */
/** The key before the system was part of it (files exported until then carry it), for recognising those. */
export function legacySimCacheKey(modelVersion: string, workload: string, parameters: unknown, seed: number): string {
  return createHash('sha256').update(stableStringify({ modelVersion, workload, parameters, seed })).digest('hex');
}

export function simCacheKey(modelVersion: string, system: string, workload: string, parameters: unknown, seed: number): string {
  // The system is part of the key although the presets differ only by switches (DA's parameters with
  // flush_every_polls=1 are LRO's): a stored run carries the system it was asked as, and everything
  // that groups runs groups by it, so DA's request served LRO's stored run and DA's row vanished.
  return createHash('sha256').update(stableStringify({ modelVersion, system, workload, parameters, seed })).digest('hex');
}

/** Flattens numeric leaves ("cycles_per_byte.driver") into scalar metrics; arrays and parameters are skipped. */
export function flattenMetrics(doc: unknown, skip: ReadonlySet<string> = DEFAULT_SKIP): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  flattenInto(out, doc, '', skip);
  return out;
}

// A simulated run's seed and its simulated seconds are provenance, not results: stored as metrics they
// were averaged into "seed 2 ± 6" and offered as a sweep's y-axis.
const DEFAULT_SKIP: ReadonlySet<string> = new Set(['parameters', 'seed', 'simulated_s']);

/**
 * A for-in walk instead of Object.entries and a closure: saving an import flattens every run
 * (112,601 netperf runs: 485–517 ms → 225–405 ms, side by side, the same output for every run).
 * Same keys in the same order (own enumerable keys of plain objects, as Object.entries gives them).
 */
function flattenInto(out: Record<string, number | null>, v: unknown, prefix: string, skip: ReadonlySet<string>): void {
  if (typeof v === 'number') {
    out[prefix] = Number.isFinite(v) ? v : null;
    return;
  }
  if (v === null) {
    if (prefix !== '') out[prefix] = null;
    return;
  }
  if (typeof v !== 'object' || Array.isArray(v)) return;
  const o = v as Record<string, unknown>;
  for (const k in o) {
    if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
    if (prefix === '') {
      if (skip.has(k)) continue;
      flattenInto(out, o[k], k, skip);
    } else flattenInto(out, o[k], `${prefix}.${k}`, skip);
  }
}

export interface NewRun {
  kind: 'simulated' | 'measured';
  system?: string | null;
  workload?: string | null;
  label?: string | null;
  parameters?: unknown;
  seed?: number | null;
  modelVersion?: string | null;
  inputSha256?: string | null;
  importedFileId?: number | null;
  cacheKey?: string | null;
  detail?: unknown;
  metrics: Record<string, number | null>;
  /** ISO time; an import gives all its runs the same one (default: now). */
  createdAt?: string;
}

interface RunStatements {
  run: Statement;
  metrics: Statement;
}

/**
 * Prepared once per connection: preparing costs more than running these small inserts, and an
 * import of 100,000 runs used to prepare 200,000 statements.
 */
const statements = new WeakMap<Db, RunStatements>();

function runStatements(db: Db): RunStatements {
  let s = statements.get(db);
  if (s === undefined) {
    s = {
      run: db.prepare(`INSERT INTO run(kind, system, workload, label, parameters, seed, app_version, model_version, input_sha256,
        imported_file_id, cache_key, detail, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`),
      // All of a run's metrics in one statement: SQLite walks the JSON object itself, instead of one
      // call from JS per metric. Doubles survive the trip exactly (JSON.stringify prints the
      // shortest round-trip form; SQLite's reader is correctly rounded; core/store/runs.test.ts
      // checks both), and flattenMetrics has already turned NaN/Infinity into null.
      metrics: db.prepare('INSERT INTO result(run_id, metric, value, unit) SELECT ?, key, value, NULL FROM json_each(?)'),
    };
    statements.set(db, s);
  }
  return s;
}

/** Inserts a run and its metrics. Call inside a transaction when saving several. */
export function insertRun(db: Db, r: NewRun): number {
  const st = runStatements(db);
  const info = st.run.run(
    r.kind,
    r.system ?? null,
    r.workload ?? null,
    r.label ?? null,
    stableStringify(r.parameters ?? {}),
    r.seed ?? null,
    APP_VERSION,
    r.modelVersion ?? null,
    r.inputSha256 ?? null,
    r.importedFileId ?? null,
    r.cacheKey ?? null,
    r.detail === undefined ? null : JSON.stringify(r.detail),
    r.createdAt ?? nowIso(),
  );
  const runId = Number(info.lastInsertRowid);
  st.metrics.run(runId, JSON.stringify(r.metrics));
  return runId;
}

export function findRunByCacheKey(db: Db, key: string): number | undefined {
  return db.prepare('SELECT id FROM run WHERE cache_key = ?').pluck().get(key) as number | undefined;
}

/** A row of the run table as SQLite returns it. */
export interface RunRow {
  id: number;
  kind: 'simulated' | 'measured';
  system: string | null;
  workload: string | null;
  label: string | null;
  parameters: string;
  seed: number | null;
  app_version: string;
  model_version: string | null;
  input_sha256: string | null;
  imported_file_id: number | null;
  cache_key?: string | null;
  detail: string | null;
  created_at: string;
}

/**
 * The run table's own columns, for reading whole rows: `SELECT *` also computes the generated
 * sort_throughput_mbps (migrations/0006) from each run's detail JSON, parsing it a second time
 * (a traced run's is 0.7 MB).
 */
export const RUN_COLUMNS = 'id, kind, system, workload, label, parameters, seed, app_version, model_version, input_sha256, imported_file_id, cache_key, detail, created_at';

/**
 * Rows → StoredRuns with their metrics. One query for the metrics of every row (not one per run):
 * the ids travel as one JSON array (json_each), so there is no bound-parameter limit to hit. Rows
 * come back in (run_id, metric) primary-key order, the same order the per-run lookup gave.
 */
function hydrate(db: Db, rows: RunRow[]): StoredRun[] {
  if (rows.length === 0) return [];
  const byRun = new Map<number, Record<string, number | null>>();
  for (const r of rows) byRun.set(r.id, {});
  const results = db
    .prepare('SELECT run_id, metric, value FROM result WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, metric')
    .all(JSON.stringify([...byRun.keys()])) as { run_id: number; metric: string; value: number | null }[];
  for (const m of results) {
    const metrics = byRun.get(m.run_id);
    if (metrics) metrics[m.metric] = m.value;
  }
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    system: r.system,
    workload: r.workload,
    label: r.label,
    importedFileId: r.imported_file_id,
    // a fresh object per row, so a run asked for twice gives two independent results
    metrics: { ...byRun.get(r.id) },
    detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
    provenance: {
      appVersion: r.app_version,
      modelVersion: r.model_version,
      parameters: JSON.parse(r.parameters) as Record<string, unknown>,
      seed: r.seed,
      inputSha256: r.input_sha256,
      createdAt: r.created_at,
    },
  }));
}

/** Runs by id, in the order asked (repeats kept, unknown ids skipped); two queries whatever the count. */
/** The first of `ids` that `runs` (what getRuns found) lacks, or undefined when none is missing. */
export function missingRun(ids: readonly number[], runs: readonly StoredRun[]): number | undefined {
  if (runs.length === ids.length) return undefined;
  const found = new Set(runs.map((r) => r.id));
  return ids.find((i) => !found.has(i));
}

export function getRuns(db: Db, ids: number[]): StoredRun[] {
  if (ids.length === 0) return [];
  const found = db.prepare(`SELECT ${RUN_COLUMNS} FROM run WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as RunRow[];
  const byId = new Map(found.map((r) => [r.id, r]));
  const rows = ids.map((id) => byId.get(id)).filter((r): r is RunRow => r !== undefined);
  return hydrate(db, rows);
}

export function listRuns(db: Db, kind: 'simulated' | 'measured' | undefined, limit: number): StoredRun[] {
  const rows = (kind
    ? db.prepare(`SELECT ${RUN_COLUMNS} FROM run WHERE kind = ? ORDER BY id DESC LIMIT ?`).all(kind, limit)
    : db.prepare(`SELECT ${RUN_COLUMNS} FROM run ORDER BY id DESC LIMIT ?`).all(limit)) as RunRow[];
  return hydrate(db, rows);
}
