import type { Notebook } from '../contract/index.js';
import { exportNotebook as exportRxnb } from '../portable/export.js';
import { importNotebook as importRxnb } from '../portable/import.js';
import { buildReportModel } from '../report/model.js';
import { renderReportHtml } from '../report/html.js';
import { runsToCsv, runsToJson, tableToCsv, tableToJson } from '../report/csv.js';
import { figureSvg } from '../report/html.js';
import type { Db } from '../store/db.js';
import { getRuns } from '../store/runs.js';
import type { ReportOptions } from '../report/types.js';

/**
 * Report and export functions with plain (db, input) signatures, ready to be registered as API methods
 * (e.g. 'notebook.export', 'notebook.import', 'report.html') once the contract grows them. Nothing here
 * touches a browser; PDF/PNG printing lives in core/report/pdf.ts.
 */

/** The .rxnb text of a notebook (stable bytes for the same content). */
export function exportNotebook(db: Db, id: number): string {
  return exportRxnb(db, id);
}

/** Imports .rxnb text as a new notebook and returns it. */
export function importNotebook(db: Db, text: string): Notebook {
  return importRxnb(db, text).notebook;
}

export function reportHtml(db: Db, id: number, opts: ReportOptions = {}): string {
  return renderReportHtml(buildReportModel(db, id, opts), opts);
}

export function runsCsv(db: Db, ids: number[]): string {
  return runsToCsv(getRuns(db, ids));
}

export function runsJson(db: Db, ids: number[]): string {
  return runsToJson(getRuns(db, ids));
}

/** Every table and figure-data table of a notebook's report, by id, for "Export table as CSV/JSON". */
export function reportTables(db: Db, id: number): { id: string; title: string }[] {
  const m = buildReportModel(db, id);
  const out: { id: string; title: string }[] = [];
  for (const s of m.sections) for (const b of s.blocks) if (b.type === 'table') out.push({ id: b.table.id, title: b.table.title });
  for (const f of m.figures) out.push({ id: f.data.id, title: `Figure ${f.number} data: ${f.title}` });
  return out;
}

export function tableExport(db: Db, notebookId: number, tableId: string, format: 'csv' | 'json'): string | null {
  const m = buildReportModel(db, notebookId);
  for (const s of m.sections) for (const b of s.blocks) if (b.type === 'table' && b.table.id === tableId) return format === 'csv' ? tableToCsv(b.table) : tableToJson(b.table);
  const f = m.figures.find((x) => x.data.id === tableId);
  if (f) return format === 'csv' ? tableToCsv(f.data) : tableToJson(f.data);
  return null;
}

/** A figure of the report as SVG (vector), by figure id or number. */
export function figureSvgExport(db: Db, notebookId: number, figure: string): { svg: string; title: string } | null {
  const m = buildReportModel(db, notebookId);
  const f = m.figures.find((x) => x.id === figure || String(x.number) === figure);
  return f ? { svg: figureSvg(f).svg, title: f.title } : null;
}

export function figureList(db: Db, notebookId: number): { id: string; number: number; title: string; runIds: number[] }[] {
  return buildReportModel(db, notebookId).figures.map((f) => ({ id: f.id, number: f.number, title: f.title, runIds: f.runIds }));
}

