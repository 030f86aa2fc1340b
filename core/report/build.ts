import type { Db } from '../store/db.js';
import type { Service } from '../service.js';
import { renderReportHtml } from './html.js';
import { buildReportModel } from './model.js';
import { electronPrintOptions, htmlToPdf } from './pdf.js';
import type { ReportOptions } from './types.js';

function dbOf(src: Service | Db): Db {
  return 'db' in src && typeof (src as Service).invoke === 'function' ? (src as Service).db : (src as Db);
}

/** The report HTML for a notebook. Electron prints this with webContents.printToPDF; Chromium prints it below. */
export async function buildReportHtml(src: Service | Db, notebookId: number, opts: ReportOptions = {}): Promise<string> {
  return renderReportHtml(buildReportModel(dbOf(src), notebookId, opts), opts);
}

export interface BuiltReport {
  pdf: Buffer;
  html: string;
  title: string;
  engine: string;
  ms: number;
}

export async function buildReportPdf(src: Service | Db, notebookId: number, opts: ReportOptions = {}): Promise<BuiltReport> {
  const t0 = performance.now();
  const model = buildReportModel(dbOf(src), notebookId, opts);
  const html = renderReportHtml(model, opts);
  const { pdf, engine } = await htmlToPdf(html, model.title);
  return { pdf, html, title: model.title, engine, ms: Math.round(performance.now() - t0) };
}

/** A download name from a notebook title: no path separators or control characters. */
export function safeFileName(title: string, ext: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  const base = title.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '_').replace(/^\.+/, '').trim().slice(0, 120) || 'notebook';
  return `${base}.${ext}`;
}

/** For Electron: the report HTML plus the title, the download name and printToPDF options matching the Chromium print. */
export async function buildReportForElectron(src: Service | Db, notebookId: number, opts: ReportOptions = {}): Promise<{ html: string; title: string; fileName: string; printOptions: Record<string, unknown> }> {
  const model = buildReportModel(dbOf(src), notebookId, opts);
  return { html: renderReportHtml(model, opts), title: model.title, fileName: safeFileName(model.title, 'pdf'), printOptions: electronPrintOptions(model.title) };
}
