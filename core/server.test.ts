import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realLogsDir } from './logs/real-logs-dir.js';
import { serve, type BrowserServer } from './server.js';
import { Service } from './service.js';

let dir: string;
let service: Service;
let srv: BrowserServer;

function post(path: string, body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; json: { ok: boolean; error?: { message: string } } }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: srv.port, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let data = '';
      res.on('data', (d: Buffer) => (data += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(data) as { ok: boolean } }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rxlab-server-'));
  service = new Service({ dbPath: join(dir, 'db.sqlite'), host: 'browser' });
  srv = await serve(service, { port: 0, staticDir: dir });
});
afterAll(async () => {
  await srv.close();
  service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('browser-mode HTTP host', () => {
  it('listens on 127.0.0.1 and prints a URL with the token', () => {
    expect(srv.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${srv.port}/\\?token=[\\w-]{20,}$`));
  });
  it('rejects a missing or wrong token', async () => {
    const none = await post('/api/call/notebook.list', '{}', {});
    expect(none.status).toBe(401);
    const wrong = await post('/api/call/notebook.list', '{}', { 'x-rxlab-token': 'nope' });
    expect(wrong.status).toBe(401);
  });
  it('rejects a foreign Host or Origin even with the token', async () => {
    const host = await post('/api/call/notebook.list', '{}', { 'x-rxlab-token': srv.token, host: 'evil.example:80' });
    expect(host.status).toBe(403);
    const origin = await post('/api/call/notebook.list', '{}', { 'x-rxlab-token': srv.token, origin: 'http://evil.example' });
    expect(origin.status).toBe(403);
  });
  it('answers malformed JSON and wrong types with 400 and a clear message', async () => {
    const bad = await post('/api/call/notebook.create', '{"title": ', { 'x-rxlab-token': srv.token });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.message).toMatch(/not JSON/);
    const typed = await post('/api/call/notebook.create', '{"title": 12}', { 'x-rxlab-token': srv.token });
    expect(typed.status).toBe(400);
    expect(typed.json.error?.message).toMatch(/title/);
  });
  it('answers an edit conflict (a save from a window that had not seen the last save) with 409, not 500', async () => {
    const tok = { 'x-rxlab-token': srv.token };
    const nb = (await post('/api/call/notebook.create', '{"title": "Two windows"}', tok)).json as unknown as { value: { id: string } };
    const cells = [{ id: 'ffffffff-1', kind: 'markdown', config: { source: 'A' } }];
    const save = (base: number) => post('/api/call/notebook.save', JSON.stringify({ id: nb.value.id, cells, baseRevision: base }), tok);
    expect((await save(0)).status).toBe(200);
    const stale = await save(0);
    expect(stale.status).toBe(409);
    expect(stale.json.error?.message).toMatch(/nothing was overwritten/);
  });
  it('answers a malformed request target with 400 and a missing file with 404, not the app page', async () => {
    const { connect } = await import('node:net');
    const raw = await new Promise<string>((resolve, reject) => {
      const sock = connect(srv.port, '127.0.0.1', () => sock.end(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nConnection: close\r\n\r\n`));
      let data = '';
      sock.on('data', (d: Buffer) => (data += d.toString()));
      sock.on('end', () => resolve(data));
      sock.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(raw).toMatch(/not a request path/);
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
    const get = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: srv.port, path, method: 'GET' }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    expect((await get('/')).status).toBe(200);
    expect((await get('/index.html')).body).toContain('<title>app</title>');
    expect(await get('/assets/nope.js')).toMatchObject({ status: 404, body: expect.stringContaining('not found: /assets/nope.js') as unknown as string });
    expect((await get('/nonexistent/deep/path')).status).toBe(404);
  });
  it('imports a log sent as raw bytes (the binary upload route) exactly as one sent as base64', async () => {
    const log = readFileSync(join(realLogsDir(), 'netperf', 'netperf-2.7-lkp-sctp_stream_many-c-C-multi-instance-timestamped-cmds.txt'));
    const raw = { 'x-rxlab-token': srv.token, 'content-type': 'application/octet-stream' };
    const up = await post('/api/upload/log.import?fileName=lkp.txt&jobId=up-1', log, raw);
    expect(up.status).toBe(200);
    const a = (up.json as unknown as { value: { file: { id: number; sha256: string; sizeBytes: number }; runIds: number[]; duplicate: boolean } }).value;
    expect(a.duplicate).toBe(false);
    expect(a.file.sizeBytes).toBe(log.length);
    expect(a.runIds.length).toBeGreaterThan(10);
    const b64 = await post('/api/call/log.import', JSON.stringify({ fileName: 'lkp.txt', dataBase64: log.toString('base64') }), { 'x-rxlab-token': srv.token });
    const b = (b64.json as unknown as { value: { file: { id: number }; runIds: number[]; duplicate: boolean } }).value;
    expect(b).toMatchObject({ duplicate: true, file: { id: a.file.id }, runIds: a.runIds });
    expect((service.db.prepare('SELECT bytes FROM imported_file WHERE id = ?').pluck().get(a.file.id) as Buffer).equals(log)).toBe(true);
  });
  it('refuses an upload without the token, without a file name, or over the size limit, saying why', async () => {
    const bytes = Buffer.from('not a log\n');
    expect((await post('/api/upload/log.import?fileName=x.txt', bytes, {})).status).toBe(401);
    const noName = await post('/api/upload/log.import', bytes, { 'x-rxlab-token': srv.token });
    expect(noName.status).toBe(400);
    expect(noName.json.error?.message).toMatch(/fileName/);
    // declared over the limit: refused before the body is read, and the connection is closed after it
    const huge = await post('/api/upload/log.import?fileName=big.txt', bytes, { 'x-rxlab-token': srv.token, 'content-length': String(301 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.json.error?.message).toBe('upload over 300 MiB');
    const junk = await post('/api/upload/log.import?fileName=junk.txt', bytes, { 'x-rxlab-token': srv.token });
    expect(junk.status).toBe(400);
    expect(junk.json.error?.message).toMatch(/^junk\.txt:1: /);
  });
  it('a whole file inside a JSON call is taken up to 16 MiB; past that the answer names the raw route', async () => {
    const big = JSON.stringify({ fileName: 'big.txt', dataBase64: Buffer.alloc(13 * 1024 * 1024, 65).toString('base64') });
    const r = await post('/api/call/log.import', big, { 'x-rxlab-token': srv.token });
    expect(r.status).toBe(413);
    expect(r.json.error?.message).toBe('log.import: a request body over 16 MiB; send large files as they are: POST /api/upload/log.import?fileName=NAME with the raw bytes as the body');
    const nb = await post('/api/call/notebook.import', JSON.stringify({ text: 'x'.repeat(17 * 1024 * 1024) }), { 'x-rxlab-token': srv.token });
    expect(nb.status).toBe(413);
    expect(nb.json.error?.message).toMatch(/POST \/api\/notebook\.rxnb with the \.rxnb file as the body$/);
  });
  it('log.import takes the bytes or their base64, exactly one, and says so', async () => {
    const both = await post('/api/call/log.import', JSON.stringify({ fileName: 'a.txt', dataBase64: 'aGk=', data: 'aGk=' }), { 'x-rxlab-token': srv.token });
    expect(both.status).toBe(400);
    expect(both.json.error?.message).toMatch(/data: expected the bytes of the log/);
    const neither = await post('/api/call/log.import', JSON.stringify({ fileName: 'a.txt' }), { 'x-rxlab-token': srv.token });
    expect(neither.status).toBe(400);
    expect(neither.json.error?.message).toMatch(/exactly one of them/);
    const notB64 = await post('/api/call/log.import', JSON.stringify({ fileName: 'a.txt', dataBase64: '!!!!' }), { 'x-rxlab-token': srv.token });
    expect(notB64.status).toBe(400);
    expect(notB64.json.error?.message).toBe('log.import: invalid request: dataBase64: not base64 (A–Z, a–z, 0–9, +, / and = padding)');
  });
  it('answers a JSON null body with 400 (not as {}: a default cross-validation of hours had started) and a GET of a call with 405', async () => {
    const nul = await post('/api/call/sim.crossValidate', 'null', { 'x-rxlab-token': srv.token });
    expect(nul.status).toBe(400);
    expect(nul.json.error?.message).toMatch(/sim\.crossValidate: invalid request/);
    const get = await new Promise<{ status: number; allow: string | undefined }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: srv.port, path: '/api/call/notebook.list', method: 'GET', headers: { 'x-rxlab-token': srv.token } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, allow: res.headers['allow'] }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(get).toEqual({ status: 405, allow: 'POST' });
  });

  it('job.cancel without a jobId is a 400 naming it (it is not given one of its own)', async () => {
    const r = await post('/api/call/job.cancel', '{}', { 'x-rxlab-token': srv.token });
    expect(r.status).toBe(400);
    expect(r.json.error?.message).toMatch(/jobId/);
  });

  it('refuses a JSON call body over 64 MiB before parsing it', async () => {
    const big = await post('/api/call/app.info', Buffer.alloc(64 * 1024 * 1024 + 10, 0x20), { 'x-rxlab-token': srv.token });
    expect(big.status).toBe(413);
    expect(big.json.error?.message).toBe('request body over 64 MiB');
  });

  it('cancels the work of a call without a jobId when its client goes away before the answer', async () => {
    const finished = new Promise<{ jobId: string; ok: boolean; error?: string }>((resolve) => {
      const off = service.onEvent((e) => {
        if (e.type === 'job-finished' && e.jobId.startsWith('http-')) {
          off();
          resolve(e);
        }
      });
    });
    // a run of minutes; the client gives up after 300 ms
    const req = request({ host: '127.0.0.1', port: srv.port, path: '/api/call/sim.run', method: 'POST', headers: { 'content-type': 'application/json', 'x-rxlab-token': srv.token } });
    req.on('error', () => undefined);
    req.end(JSON.stringify({ runs: [{ system: 'DA', seed: 1, set: { duration_s: 600 } }] }));
    await new Promise((r) => setTimeout(r, 300));
    req.destroy();
    const t0 = Date.now();
    const e = await finished;
    expect(e.ok).toBe(false);
    expect(e.error).toMatch(/cancel/i);
    expect(Date.now() - t0).toBeLessThan(10_000);
  }, 30_000);

  it('cancels a raw log upload without a jobId when its client goes away before the answer, and saves nothing', async () => {
    const before = (await service.invoke('imports.list', {})).length;
    const finished = new Promise<{ jobId: string; ok: boolean; error?: string }>((resolve) => {
      const off = service.onEvent((e) => {
        if (e.type === 'job-finished' && e.jobId.startsWith('http-')) {
          off();
          resolve(e);
        }
      });
    });
    // 200,000 runs of a real netperf log: seconds of parsing and saving after the upload
    const one = readFileSync(join(realLogsDir(), 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt'), 'utf8');
    const body = Buffer.from(Array.from({ length: 200_000 }, (_, i) => one.replace('2997.84', (1000 + (i % 5000) / 100).toFixed(2))).join('\n'));
    const req = request({ host: '127.0.0.1', port: srv.port, path: '/api/upload/log.import?fileName=many.txt', method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-rxlab-token': srv.token } });
    req.on('error', () => undefined);
    req.end(body);
    await new Promise((r) => setTimeout(r, 500));
    req.destroy();
    const e = await finished;
    expect(e.ok).toBe(false);
    expect(e.error).toMatch(/cancel/i);
    expect((await service.invoke('imports.list', {})).length).toBe(before);
  }, 60_000);

  it('serves a valid call', async () => {
    const ok = await post('/api/call/notebook.create', '{"title":"via http"}', { 'x-rxlab-token': srv.token });
    expect(ok.status).toBe(200);
    expect(ok.json.ok).toBe(true);
  });

  it('a traced simulation\'s runs go out as the JSON the store worker printed, not printed again on this thread', async () => {
    // 12,500 intervals: 0.9 MB of JSON (handlers/sim-store.ts)
    const body = JSON.stringify({ runs: [{ system: 'Linux', workload: 'stream', seed: 1, set: { warmup_s: 0.05, duration_s: 0.2, trace_ms: 0.02 } }] });
    const printed: number[] = [];
    const stringify = JSON.stringify;
    JSON.stringify = ((...args: Parameters<typeof JSON.stringify>) => {
      const text = stringify(...args);
      printed.push(text.length);
      return text;
    }) as typeof JSON.stringify;
    let r;
    try {
      r = await post('/api/call/sim.run', body, { 'x-rxlab-token': srv.token });
    } finally {
      JSON.stringify = stringify;
    }
    expect(r.status).toBe(200);
    const value = (r.json as unknown as { value: { cached: number; runs: { detail: { over_time: { t_s: number[] } } }[] } }).value;
    expect(value.cached).toBe(0);
    expect(value.runs[0]?.detail.over_time.t_s).toHaveLength(12_500);
    expect(Math.max(0, ...printed)).toBeLessThan(10_000);
  });
});
