import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type BrowserServer } from './server.js';
import { Service } from './service.js';

let dir: string;
let service: Service;
let srv: BrowserServer;

function post(path: string, body: string, headers: Record<string, string>): Promise<{ status: number; json: { ok: boolean; error?: { message: string } } }> {
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
  it('serves a valid call', async () => {
    const ok = await post('/api/call/notebook.create', '{"title":"via http"}', { 'x-rxlab-token': srv.token });
    expect(ok.status).toBe(200);
    expect(ok.json.ok).toBe(true);
  });
});
