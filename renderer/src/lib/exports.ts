/**
 * Exports from the notebook: tables and runs as CSV/JSON, charts as PNG/SVG (Chart.svelte), the whole
 * notebook as a portable .rxnb file. Everything goes through the API (not HTTP-only routes), so the
 * desktop app and browser mode behave the same.
 */
import type { StoredRun } from '../../../core/contract/index.js';
// the one value import from core the lint rule allows: the CSV quoting the backend's exports use too
import { csvField, csvRows } from '../../../core/contract/csv.js';
import { call } from './api.js';

export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function safeName(s: string): string {
  return s.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'export';
}

export { csvField, csvRows };

/** Text that is exactly a decimal number, as fmt() shows one (e.g. "-12.5", "1.23e-4"). */
const PLAIN_NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * A table cell read from the page: numbers go out as numbers (a negative value must not look like a
 * formula and be defused into text), anything else as the text shown.
 */
export function cellValue(text: string): string | number {
  return PLAIN_NUMBER.test(text) ? Number(text) : text;
}

export interface TableData {
  title: string;
  columns: string[];
  rows: string[][];
  /**
   * What the CSV writes instead of the text shown, where the table's cells say (data-csv, csvData):
   * full-precision numbers, an interval's mean, half-width and n in columns of their own.
   */
  values?: { columns: string[]; rows: unknown[][] };
}

/**
 * The data-csv attribute of a th (the column names) or td (its values) whose text is rounded or
 * combines numbers ("1049 ± 4000", "+2.0 %"): the CSV export writes these instead. Missing and
 * non-finite numbers become null (an empty field).
 */
export function csvData(...values: unknown[]): string {
  return JSON.stringify(values.map((v) => (v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? null : v)));
}

function csvParts(el: Element): unknown[] | null {
  const raw = el.getAttribute('data-csv');
  if (raw === null) return null;
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/** The tables a cell shows, read from the DOM as displayed (so the export equals what the user sees). */
export function tablesIn(root: HTMLElement): TableData[] {
  return Array.from(root.querySelectorAll('table')).map((t, i) => {
    const caption = t.caption?.textContent ?? t.previousElementSibling?.textContent ?? `Table ${i + 1}`;
    const head = Array.from(t.querySelectorAll('thead tr')).at(-1) ?? t.querySelector('tr');
    const headCells = head ? Array.from(head.children) : [];
    const columns = headCells.map((c) => (c.textContent ?? '').trim());
    const bodyCells = Array.from(t.querySelectorAll('tbody tr'))
      .filter((r) => r !== head)
      .map((r) => Array.from(r.children));
    const rows = bodyCells.map((cs) => cs.map((c) => (c.textContent ?? '').trim()));
    const data: TableData = { title: caption.trim(), columns, rows };
    if (!t.querySelector('[data-csv]')) return data;
    // a th's data-csv sets how many columns its cells fill; a cell without one gives its text
    const headParts = headCells.map(csvParts);
    data.values = {
      columns: headCells.flatMap((_, j) => headParts[j]?.map(String) ?? [columns[j] ?? '']),
      rows: bodyCells.map((cs, i) =>
        cs.flatMap((c, j) => {
          const parts = csvParts(c) ?? [rows[i]?.[j] ?? ''];
          return Array.from({ length: headParts[j]?.length ?? 1 }, (_, k) => parts[k] ?? null);
        }),
      ),
    };
    return data;
  });
}

/** A signed percentage as fmtDelta shows it ("+2.0 %", "−2.0 %" with U+2212). */
const SIGNED_PCT = /^([+\u2212-])(\d+(?:\.\d+)?) %$/;
const EMPTY = (text: string): boolean => text === '' || text === '—';

/**
 * A table as the CSV writes it: the cells' own values where they give them (TableData.values), else the
 * text shown, with numbers as numbers and a column of signed percentages as plain numbers under a
 * header that says % (as text, "+2.0 %" would be defused to "'+2.0 %" and "−2.0 %" would not).
 */
export function csvTable(t: TableData): unknown[][] {
  if (t.values) return [t.values.columns, ...t.values.rows.map((r) => r.map((v) => (typeof v === 'string' ? cellValue(v) : v)))];
  const pct = t.columns.map((_, j) => t.rows.some((r) => SIGNED_PCT.test(r[j] ?? '')) && t.rows.every((r) => EMPTY(r[j] ?? '') || SIGNED_PCT.test(r[j] ?? '')));
  const signed = (text: string): number | null => {
    const m = SIGNED_PCT.exec(text);
    return m ? (m[1] === '+' ? 1 : -1) * Number(m[2]) : null;
  };
  return [
    t.columns.map((c, j) => (pct[j] && !c.includes('%') ? `${c} (%)` : c)),
    ...t.rows.map((r) => r.map((v, j) => (pct[j] ? signed(v) : cellValue(v)))),
  ];
}

export function tablesCsv(tables: TableData[]): string {
  return tables.map((t) => `${csvField(t.title)}\r\n${csvRows(csvTable(t))}`).join('\r\n');
}

/** Every run id referenced by a cell output (outputs keep `runIds` arrays at any depth). */
export function runIdsOf(output: unknown): number[] {
  const ids = new Set<number>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (/runIds$/i.test(k) && Array.isArray(x)) {
          for (const id of x) if (typeof id === 'number') ids.add(id);
        } else walk(x);
      }
    }
  };
  walk(output);
  return [...ids];
}

/** Runs as CSV: provenance columns first, then every metric (union over the runs, sorted). */
export function runsCsv(runs: StoredRun[]): string {
  const metrics = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const head = ['run_id', 'kind', 'system', 'workload', 'seed', 'model_version', 'app_version', 'input_sha256', ...metrics];
  const rows = runs.map((r) => [
    r.id,
    r.kind,
    r.system,
    r.workload,
    r.provenance.seed,
    r.provenance.modelVersion,
    r.provenance.appVersion,
    r.provenance.inputSha256,
    ...metrics.map((m) => r.metrics[m] ?? ''),
  ]);
  return csvRows([head, ...rows]);
}

export async function exportRuns(output: unknown, format: 'csv' | 'json', baseName: string): Promise<number> {
  const ids = runIdsOf(output);
  if (ids.length === 0) return 0;
  const runs = await call('runs.get', { ids });
  if (format === 'csv') downloadText(`${safeName(baseName)}-runs.csv`, runsCsv(runs), 'text/csv');
  else downloadText(`${safeName(baseName)}-runs.json`, `${JSON.stringify(runs, null, 2)}\n`, 'application/json');
  return runs.length;
}

export async function exportNotebookFile(id: number): Promise<string> {
  const { fileName, text } = await call('notebook.export', { id });
  downloadText(fileName, text, 'application/json');
  return fileName;
}

interface TraceData {
  name?: string;
  x?: unknown[];
  y?: unknown[];
  z?: unknown[][];
  /**
   * The numbers named by meta.csvColumns: per heatmap cell a list (the Morris heatmap's μ*, μ, σ,
   * n), per point of another trace one number (the cross-validation bars' signed error) or a list
   * (the profile lines' cells inside, cells, and those outside).
   */
  customdata?: unknown[];
  meta?: { csvColumns?: string[] };
  error_y?: { array?: unknown[] };
}

/**
 * The numbers behind a chart, one row per point: series, x, y and error bar; a heatmap (z) gives
 * one row per cell with its value instead (y is the row, x the column), or with the columns its
 * meta.csvColumns names, from its customdata; other traces add the columns meta.csvColumns names.
 */
export function chartDataRows(data: TraceData[]): unknown[][] {
  if (data.some((t) => Array.isArray(t.z))) {
    const named = data.find((t) => t.meta?.csvColumns?.length)?.meta?.csvColumns;
    const rows: unknown[][] = [['series', 'x', 'y', ...(named ?? ['value'])]];
    for (const t of data) {
      (t.z ?? []).forEach((row, i) =>
        row.forEach((v, j) => {
          const custom = (t.customdata?.[i] as (unknown[] | null)[] | undefined)?.[j];
          const cells = named ? named.map((_, k) => custom?.[k] ?? '') : [v ?? ''];
          rows.push([t.name ?? '', t.x?.[j] ?? j, t.y?.[i] ?? i, ...cells]);
        }),
      );
    }
    return rows;
  }
  const named = data.find((t) => t.meta?.csvColumns?.length)?.meta?.csvColumns ?? [];
  const rows: unknown[][] = [['series', 'x', 'y', 'error', ...named]];
  for (const t of data) {
    (t.x ?? []).forEach((x, i) => {
      const c = t.customdata?.[i];
      const cells = Array.isArray(c) ? named.map((_, k) => (c[k] as unknown) ?? '') : named.map((_, k) => (k === 0 ? (c ?? '') : ''));
      const err = t.error_y?.array?.[i];
      rows.push([t.name ?? '', x, t.y?.[i] ?? '', typeof err === 'number' && !Number.isFinite(err) ? '' : (err ?? ''), ...cells]);
    });
  }
  return rows;
}
