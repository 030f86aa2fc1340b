import type { StoredRun } from '../contract/index.js';
import { csvField, csvRows } from '../contract/csv.js';
import { stableStringify } from '../store/runs.js';
import type { TableData, TableValue } from './types.js';

/**
 * CSV and JSON exports of tables and runs. Quoting is core/contract/csv.ts, shared with the
 * notebook's downloads: RFC 4180, formula-like text defused with a leading apostrophe, numbers
 * written as numbers so negative values stay numeric.
 */
export { csvField };

export function toCsv(columns: string[], rows: (TableValue | boolean | undefined)[][]): string {
  return csvRows([columns, ...rows]);
}

export function tableToCsv(t: TableData): string {
  return toCsv(t.columns, t.rows);
}

export function tableToJson(t: TableData): string {
  const rows = t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i] ?? null])));
  return `${JSON.stringify({ title: t.title, columns: t.columns, rows }, null, 2)}\n`;
}

const RUN_COLUMNS = ['run_id', 'kind', 'system', 'workload', 'label', 'app_version', 'model_version', 'seed', 'input_sha256', 'imported_file_id', 'created_at', 'parameters'];

/** One row per run: provenance columns, then every metric any of the runs has (sorted by name). */
export function runsToCsv(runs: StoredRun[]): string {
  const metrics = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const rows = runs.map((r) => [
    r.id,
    r.kind,
    r.system,
    r.workload,
    r.label,
    r.provenance.appVersion,
    r.provenance.modelVersion,
    r.provenance.seed,
    r.provenance.inputSha256,
    r.importedFileId,
    r.provenance.createdAt,
    stableStringify(r.provenance.parameters),
    ...metrics.map((m) => r.metrics[m] ?? null),
  ]);
  return toCsv([...RUN_COLUMNS, ...metrics], rows);
}

/** Runs as JSON with sorted keys (same bytes for the same runs), detail included. */
export function runsToJson(runs: StoredRun[]): string {
  return `${JSON.stringify(JSON.parse(stableStringify(runs)), null, 2)}\n`;
}
