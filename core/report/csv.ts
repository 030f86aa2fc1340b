import type { StoredRun } from '../contract/index.js';
import { stableStringify } from '../store/runs.js';
import type { TableData, TableValue } from './types.js';

/**
 * CSV and JSON exports of tables and runs. CSV follows RFC 4180 (CRLF, quotes doubled, fields with
 * comma/quote/newline quoted). Text that a spreadsheet would run as a formula (= + - @ tab CR first)
 * gets a leading apostrophe; numbers are written as numbers, so negative values stay numeric.
 */

export function csvField(v: TableValue | boolean | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(columns: string[], rows: (TableValue | boolean | undefined)[][]): string {
  return [columns, ...rows].map((r) => r.map((v) => csvField(v)).join(',')).join('\r\n') + '\r\n';
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
