import { buildReportModel } from '../report/model.js';
import { tableToCsv, tableToJson } from '../report/csv.js';
import { figureSvg } from '../report/html.js';
import type { Db } from '../store/db.js';

/**
 * A notebook report's tables and figures as downloads, with plain (db, input) signatures: the store
 * worker (store-task.ts) runs them, since each builds the report model. Nothing here touches a
 * browser; PDF/PNG printing lives in core/report/pdf.ts.
 */

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
  for (const s of m.sections) {
    for (const b of s.blocks) {
      if (b.type !== 'table' || b.table.id !== tableId) continue;
      const t = b.table.full ? { ...b.table, ...b.table.full } : b.table; // every column, not only those printed
      return format === 'csv' ? tableToCsv(t) : tableToJson(t);
    }
  }
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

