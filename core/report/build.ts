import type { Db } from '../store/db.js';
import type { Service } from '../service.js';
import { renderReportHtml } from './html.js';
import { buildReportModel } from './model.js';
import { electronPrintOptions, htmlToPdf } from './pdf.js';
import type { ReportOptions } from './types.js';
import { reportHtmlOffThread } from '../handlers/store-client.js';

function isService(src: Service | Db): src is Service {
  return 'db' in src && typeof (src as Service).invoke === 'function';
}

/**
 * The report's HTML and title. For a Service (a host that also serves the UI) it is built in a
 * worker thread: a notebook that shows a large import reads every run of it.
 */
async function reportHtml(src: Service | Db, notebookId: number, opts: ReportOptions): Promise<{ html: string; title: string }> {
  if (isService(src)) return reportHtmlOffThread(src.dbPath, notebookId, opts);
  const model = buildReportModel(src, notebookId, opts);
  return { html: renderReportHtml(model, opts), title: model.title };
}

/** The report HTML for a notebook. Electron prints this with webContents.printToPDF; Chromium prints it below. */
export async function buildReportHtml(src: Service | Db, notebookId: number, opts: ReportOptions = {}): Promise<string> {
  return (await reportHtml(src, notebookId, opts)).html;
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
  const { html, title } = await reportHtml(src, notebookId, opts);
  const { pdf, engine } = await htmlToPdf(html, title);
  return { pdf, html, title, engine, ms: Math.round(performance.now() - t0) };
}

/** A download name from a notebook title: no path separators or control characters. */
export function safeFileName(title: string, ext: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  const base = title.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '_').replace(/^\.+/, '').trim().slice(0, 120) || 'notebook';
  return `${base}.${ext}`;
}

/** For Electron: the report HTML plus the title, the download name and printToPDF options matching the Chromium print. */
export async function buildReportForElectron(src: Service | Db, notebookId: number, opts: ReportOptions = {}): Promise<{ html: string; title: string; fileName: string; printOptions: Record<string, unknown> }> {
  const { html, title } = await reportHtml(src, notebookId, opts);
  return { html, title, fileName: safeFileName(title, 'pdf'), printOptions: electronPrintOptions(title) };
}
