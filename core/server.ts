import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Envelope, ServiceEvent } from './contract/index.js';
import { MAX_HTTP_BODY_BYTES, MAX_UPLOAD_BYTES, schemas } from './contract/schemas.js';
import { compiledPath } from './paths.js';
import type { Service } from './service.js';
import { HTTP_STATUS } from './contract/http-status.js';

/** Same policy as renderer/index.html, sent as a header too so the browser enforces it before any script runs. */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const MAX_BODY = MAX_HTTP_BODY_BYTES;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export interface BrowserServer {
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

export interface ServeOptions {
  port?: number;
  staticDir?: string;
  /** Extra routes (e.g. the PDF download), tried after the token check. Return true if handled. */
  routes?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
}

function tokenOk(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

/** A method's answer (Service.reply): JSON text a worker printed goes out as it is. */
function sendReply(res: ServerResponse, reply: Envelope<unknown> | string): void {
  if (typeof reply === 'string') sendText(res, 200, reply);
  else send(res, reply.ok ? 200 : HTTP_STATUS[reply.error.code], reply);
}

/**
 * Methods whose JSON body carries a whole file have raw routes, where the body is not parsed as JSON
 * on the event loop (a 290 MiB log as base64 held it for 3.9 s): over /api/call they take small files only.
 */
const RAW_ROUTE: Readonly<Record<string, string>> = {
  'log.import': 'POST /api/upload/log.import?fileName=NAME with the raw bytes as the body',
  'notebook.import': 'POST /api/notebook.rxnb with the .rxnb file as the body',
};
const MAX_FILE_IN_JSON_BYTES = 16 * 1024 * 1024;

/** Methods whose work can be cancelled by job id (their input takes a jobId). */
const CANCELLABLE: ReadonlySet<string> = new Set(
  Object.entries(schemas)
    // job.cancel names the job it cancels: its jobId is required, not one to make up
    .filter(([m, s]) => m !== 'job.cancel' && 'shape' in s && 'jobId' in (s.shape as object))
    .map(([m]) => m),
);

/**
 * A cancellable call that came without a jobId gets one of its own here, cancelled when its client goes
 * away before the answer: a script that gave up on `sim.crossValidate` had left hours of work running
 * that nothing could name to cancel. Calls with a jobId are left alone (the notebook cancels its own).
 */
function ownJob(method: string, input: unknown): string | undefined {
  if (!CANCELLABLE.has(method) || input === null || typeof input !== 'object' || Array.isArray(input) || 'jobId' in input) return undefined;
  const id = `http-${randomBytes(9).toString('base64url')}`;
  (input as Record<string, unknown>)['jobId'] = id;
  return id;
}

async function readBody(req: IncomingMessage, method = ''): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const raw = RAW_ROUTE[method];
  const max = raw === undefined ? MAX_BODY : MAX_FILE_IN_JSON_BYTES;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      const why = raw === undefined ? `request body over ${MAX_BODY / 1024 / 1024} MiB` : `${method}: a request body over ${max / 1024 / 1024} MiB; send large files as they are: ${raw}`;
      throw Object.assign(new Error(why), { status: 413 });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A raw request body (a log upload) into one buffer of its own, chunk by chunk as it arrives: no
 * string, no JSON, no base64 on the event loop. Refused (413) past `max` before it is all read.
 */
async function readBytes(req: IncomingMessage, max: number): Promise<Uint8Array> {
  const tooLarge = (): Error => Object.assign(new Error(`upload over ${max / 1024 / 1024} MiB`), { status: 413 });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) throw tooLarge();
  let buf = new Uint8Array(Number.isFinite(declared) && declared > 0 ? declared : 64 * 1024);
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (size + chunk.length > max) throw tooLarge();
    if (size + chunk.length > buf.length) {
      const grown = new Uint8Array(Math.min(max, Math.max(buf.length * 2, size + chunk.length)));
      grown.set(buf.subarray(0, size));
      buf = grown;
    }
    buf.set(chunk, size);
    size += chunk.length;
  }
  return buf.subarray(0, size);
}

/**
 * Browser mode: the renderer and the API on 127.0.0.1 only. Every API request must carry the per-start
 * token, and requests whose Host or Origin is not this server are refused (DNS-rebinding and CSRF guard).
 */
export function serve(service: Service, opts: ServeOptions = {}): Promise<BrowserServer> {
  const token = randomBytes(24).toString('base64url');
  const staticDir = resolve(opts.staticDir ?? compiledPath('renderer'));
  let port = 0;

  // Run downloads name up to 10,000 ids in the URL (/api/run.csv?ids=…): ~70 KB, past Node's 16 KB default.
  const server = createServer({ maxHeaderSize: 128 * 1024 }, (req, res) => {
    void handle(req, res).catch((e: unknown) => {
      const status = (e as { status?: number }).status ?? 500;
      // A refused body was not read to its end: this connection cannot carry another request.
      if (status === 413 && !res.headersSent) res.setHeader('connection', 'close');
      if (!res.headersSent) send(res, status, { ok: false, error: { code: status === 413 ? 'bad-request' : 'failed', message: e instanceof Error ? e.message : String(e) } });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host;
    // a browser leaves the default port out of Host and Origin (serve --port 80)
    const hosts = port === 80 ? ['127.0.0.1', 'localhost', '127.0.0.1:80', 'localhost:80'] : [`127.0.0.1:${port}`, `localhost:${port}`];
    if (host === undefined || !hosts.includes(host)) {
      send(res, 403, { ok: false, error: { code: 'unauthorized', message: `refused: Host "${host ?? ''}" is not this server` } });
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !hosts.some((h) => origin === `http://${h}`)) {
      send(res, 403, { ok: false, error: { code: 'unauthorized', message: `refused: Origin "${origin}" is not this server` } });
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      send(res, 400, { ok: false, error: { code: 'bad-request', message: `not a request path: "${String(req.url).slice(0, 200)}"` } });
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      const given = req.headers['x-rxlab-token'];
      if (!tokenOk(typeof given === 'string' ? given : url.searchParams.get('token'), token)) {
        send(res, 401, { ok: false, error: { code: 'unauthorized', message: 'missing or wrong token: open the URL printed by `rxlab serve`' } });
        return;
      }
      if (url.pathname === '/api/events' && req.method === 'GET') return events(req, res);
      const m = /^\/api\/call\/([a-z]+\.[a-zA-Z]+)$/.exec(url.pathname);
      if (m && req.method === 'POST') {
        const body = await readBody(req, m[1]);
        let input: unknown;
        try {
          input = body.length ? JSON.parse(body) : {};
        } catch (e) {
          send(res, 400, { ok: false, error: { code: 'bad-request', message: `request body is not JSON: ${(e as Error).message}` } });
          return;
        }
        cancelOnDisconnect(res, ownJob(m[1] ?? '', input));
        sendReply(res, await service.reply(m[1] ?? '', input));
        return;
      }
      if (m) {
        res.setHeader('allow', 'POST');
        send(res, 405, { ok: false, error: { code: 'bad-request', message: `${req.method ?? ''} ${url.pathname}: API calls are POST` } });
        return;
      }
      // log.import with the raw bytes as the body (?fileName=…&jobId=…): the same method and
      // validation as /api/call/log.import, without base64 and JSON around 300 MiB of log.
      if (url.pathname === '/api/upload/log.import' && req.method === 'POST') {
        const data = await readBytes(req, MAX_UPLOAD_BYTES);
        const input: Record<string, unknown> = { fileName: url.searchParams.get('fileName') ?? '', data };
        const jobId = url.searchParams.get('jobId');
        if (jobId !== null) input['jobId'] = jobId;
        // as for /api/call: without a jobId of its own, a client that goes away cancels the import (a killed
        // upload had still parsed and saved 868,000 runs nobody asked for any more)
        cancelOnDisconnect(res, ownJob('log.import', input));
        sendReply(res, await service.reply('log.import', input));
        return;
      }
      if (opts.routes && (await opts.routes(req, res, url))) return;
      send(res, 404, { ok: false, error: { code: 'not-found', message: `no API route ${req.method ?? ''} ${url.pathname}` } });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { ok: false, error: { code: 'bad-request', message: 'method not allowed' } });
      return;
    }
    serveStatic(url.pathname, res);
  }

  /** A job the server named for its client (ownJob) is cancelled if the client goes away before the answer. */
  function cancelOnDisconnect(res: ServerResponse, own: string | undefined): void {
    if (own !== undefined) res.on('close', () => void (res.writableFinished ? undefined : service.call('job.cancel', { jobId: own })));
  }

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    const off = service.onEvent((e: ServiceEvent) => res.write(`data: ${JSON.stringify(e)}\n\n`));
    const ping = setInterval(() => res.write(': ping\n\n'), 15000);
    req.on('close', () => {
      off();
      clearInterval(ping);
    });
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    if (!existsSync(join(staticDir, 'index.html'))) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`The renderer is not built (${staticDir}). Run: npm run build`);
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = normalize(join(staticDir, rel === '/' ? 'index.html' : rel));
    // traversal guard: the resolved file must stay inside the renderer folder
    if (file !== staticDir && !file.startsWith(staticDir + sep)) {
      res.writeHead(403).end();
      return;
    }
    const found = existsSync(file) && statSync(file).isFile();
    // The app is one page (its routes are in the hash): a missing asset is a 404, not index.html served
    // as JavaScript, and so is any other path, where index.html's relative ./assets/ would not load.
    if (!found && rel !== '/' && rel !== '/index.html') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
      res.end(`not found: ${rel.slice(0, 200)} (the app is at /)`);
      return;
    }
    const target = found ? file : join(staticDir, 'index.html');
    res.writeHead(200, {
      'content-type': TYPES[extname(target)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    createReadStream(target).pipe(res);
  }

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port;
      const url = `http://127.0.0.1:${port}/?token=${token}`;
      resolvePromise({
        url,
        port,
        token,
        server,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
