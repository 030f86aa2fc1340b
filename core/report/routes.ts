import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StoredRun } from '../contract/index.js';
import { RxnbError } from '../portable/import.js';
import { MAX_RXNB_CHARS } from '../contract/schemas.js';
import { exportNotebookOffThread, importNotebookBytesOffThread, reportFigureOffThread, reportIndexOffThread, reportTableOffThread, RUNS_OFF_THREAD_FROM, runsOffThread } from '../handlers/store-client.js';
import { toApiError, type Service } from '../service.js';
import { getRuns, missingRun } from '../store/runs.js';
import { buildReportHtml, buildReportPdf, safeFileName } from './build.js';
import { REPORT_CSP } from './html.js';
import { runsToCsv, runsToJson } from './csv.js';
import { svgToPng } from './pdf.js';
import { getSummary, NotFoundError } from '../store/notebooks.js';
import { HTTP_STATUS } from '../contract/http-status.js';

/**
 * Browser-mode download routes, plugged into core/server.ts's `routes` option (the server has already
 * checked Host, Origin and the token):
 *
 *   GET  /api/report.pdf?notebook=ID[&omitConfig=1]   the PDF report (printed by headless Chromium)
 *   GET  /api/report.html?notebook=ID                 the same report as one self-contained HTML file
 *   GET  /api/notebook.rxnb?notebook=ID               portable notebook file
 *   POST /api/notebook.rxnb                           body = .rxnb text → {ok, value: Notebook}
 *   GET  /api/run.csv?ids=1,2,3  /api/run.json?ids=…  runs with provenance and metrics
 *   GET  /api/table.csv|table.json?notebook=ID&table=TABLE_ID   a report table (ids as in the report HTML)
 *   GET  /api/chart.svg|chart.png?notebook=ID&figure=N|FIGURE_ID   a report figure
 *   GET  /api/report.index?notebook=ID                {tables: [{id, title}], figures: [{id, number, title, runIds}]}
 */
const MAX_RXNB = MAX_RXNB_CHARS;
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** attachment with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

function sendFile(res: ServerResponse, type: string, fileName: string, body: string | Buffer): void {
  res.writeHead(200, {
    'content-type': type,
    'content-disposition': contentDisposition(fileName),
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': REPORT_CSP,
  });
  res.end(body);
}

function idParam(url: URL, name: string): number {
  const v = url.searchParams.get(name);
  if (!v || !/^\d+$/.test(v) || Number(v) < 1) throw new HttpError(400, `?${name}= must be a positive integer id`);
  return Number(v);
}

function idsParam(url: URL): number[] {
  const v = url.searchParams.get('ids') ?? '';
  const ids = v.split(',').filter(Boolean);
  if (!ids.length || ids.length > 10000 || ids.some((x) => !/^\d+$/.test(x))) throw new HttpError(400, '?ids= must be a comma-separated list of run ids (at most 10000)');
  return ids.map(Number);
}

/**
 * The body's bytes in one buffer of their own, for the store worker to decode: joining and decoding a
 * 250 MB .rxnb here had held the event loop 1.2–1.7 s, and handing the string over copied it again.
 */
async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_RXNB) throw new HttpError(413, `.rxnb over ${MAX_RXNB / 1024 / 1024} MB`);
    chunks.push(chunk);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function runsOrThrow(service: Service, ids: number[]): StoredRun[] {
  const runs = getRuns(service.db, ids);
  const missing = missingRun(ids, runs);
  if (missing !== undefined) throw new HttpError(404, `run ${missing} does not exist`);
  return runs;
}

export function reportRoutes(service: Service): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean> {
  const title = (id: number): string => getSummary(service.db, id).title;
  const get: Record<string, (url: URL, res: ServerResponse) => Promise<void> | void> = {
    '/api/report.pdf': async (url, res) => {
      const id = idParam(url, 'notebook');
      const r = await buildReportPdf(service, id, { omitConfig: url.searchParams.get('omitConfig') === '1' });
      sendFile(res, 'application/pdf', safeFileName(r.title, 'pdf'), r.pdf);
    },
    '/api/report.html': async (url, res) => {
      const id = idParam(url, 'notebook');
      const html = await buildReportHtml(service, id, { omitConfig: url.searchParams.get('omitConfig') === '1' });
      sendFile(res, 'text/html; charset=utf-8', safeFileName(title(id), 'html'), html);
    },
    '/api/notebook.rxnb': async (url, res) => {
      const id = idParam(url, 'notebook');
      sendFile(res, 'application/json; charset=utf-8', safeFileName(title(id), 'rxnb'), await exportNotebookOffThread(service.dbPath, id));
    },
    '/api/run.csv': async (url, res) => {
      const ids = idsParam(url);
      sendFile(res, 'text/csv; charset=utf-8', ids.length === 1 ? `run-${ids[0]}.csv` : 'runs.csv', await runsFile(ids, 'csv'));
    },
    '/api/run.json': async (url, res) => {
      const ids = idsParam(url);
      sendFile(res, 'application/json; charset=utf-8', ids.length === 1 ? `run-${ids[0]}.json` : 'runs.json', await runsFile(ids, 'json'));
    },
    '/api/report.index': async (url, res) => {
      const id = idParam(url, 'notebook');
      sendJson(res, 200, { ok: true, value: await reportIndexOffThread(service.dbPath, id) });
    },
    '/api/table.csv': (url, res) => table(url, res, 'csv'),
    '/api/table.json': (url, res) => table(url, res, 'json'),
    '/api/chart.svg': async (url, res) => {
      const f = await figure(url);
      sendFile(res, 'image/svg+xml', safeFileName(f.title, 'svg'), f.svg);
    },
    '/api/chart.png': async (url, res) => {
      const f = await figure(url);
      sendFile(res, 'image/png', safeFileName(f.title, 'png'), await svgToPng(f.svg));
    },
  };
  // Many runs are read and printed in a worker (tens of MB for 10,000); a few, here.
  async function runsFile(ids: number[], format: 'csv' | 'json'): Promise<string> {
    if (ids.length >= RUNS_OFF_THREAD_FROM) {
      try {
        return (await runsOffThread(service.dbPath, ids, format, true)) as string;
      } catch (e) {
        if (e instanceof NotFoundError) throw new HttpError(404, e.message);
        throw e;
      }
    }
    const runs = runsOrThrow(service, ids);
    return format === 'csv' ? runsToCsv(runs) : runsToJson(runs);
  }
  // Tables and figures come from the report model, built in a worker (it reads every run shown).
  async function table(url: URL, res: ServerResponse, format: 'csv' | 'json'): Promise<void> {
    const id = idParam(url, 'notebook');
    const tableId = url.searchParams.get('table') ?? '';
    const body = await reportTableOffThread(service.dbPath, id, tableId, format);
    if (body === null) throw new HttpError(404, `notebook ${id} has no table "${tableId}"`);
    sendFile(res, format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8', `${tableId}.${format}`, body);
  }
  async function figure(url: URL): Promise<{ svg: string; title: string }> {
    const id = idParam(url, 'notebook');
    const fig = url.searchParams.get('figure') ?? '';
    const f = await reportFigureOffThread(service.dbPath, id, fig);
    if (!f) throw new HttpError(404, `notebook ${id} has no figure "${fig}"`);
    return f;
  }

  return async (req, res, url) => {
    const handler = req.method === 'GET' || req.method === 'HEAD' ? get[url.pathname] : undefined;
    const isImport = req.method === 'POST' && url.pathname === '/api/notebook.rxnb';
    if (!handler && !isImport) return false;
    try {
      // counted as requests in flight, so store.restore cannot swap the file under them
      if (handler) await service.track(() => handler(url, res));
      else {
        const body = await readBody(req);
        const nb = (await service.track(() => importNotebookBytesOffThread(service.dbPath, body))).notebook;
        service.notify({ type: 'notebooks-changed' });
        sendJson(res, 200, { ok: true, value: nb });
      }
    } catch (e) {
      if (e instanceof RxnbError) sendJson(res, 400, { ok: false, error: { code: 'bad-request', message: e.message } });
      else if (e instanceof HttpError) sendJson(res, e.status, { ok: false, error: { code: e.status === 404 ? 'not-found' : 'bad-request', message: e.message } });
      else {
        const err = toApiError(e, service.dbPath);
        sendJson(res, HTTP_STATUS[err.code], { ok: false, error: err });
      }
    }
    return true;
  };
}
