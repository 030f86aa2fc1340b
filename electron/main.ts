/**
 * Desktop shell: a thin host over core/. It owns the window, the app:// protocol and IPC; everything
 * else (store, simulation, importers, reports) is the same Service the CLI and browser mode use.
 * Security baseline per Electron's checklist: contextIsolation, sandbox, no nodeIntegration, CSP,
 * app:// with a traversal check, navigation and window.open blocked, permission requests denied.
 */
import { app, BrowserWindow, dialog, net, protocol, session, shell } from 'electron';
import { z } from 'zod';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Envelope } from '../core/contract/index.js';
import { dbPathFor } from '../core/db-path.js';
import { compiledPath } from '../core/paths.js';
import { buildReportForElectron } from '../core/report/build.js';
import { Service } from '../core/service.js';
import { handle } from './ipc.js';
import { APP_ORIGIN, APP_SCHEME, externalUrl, isAllowedNavigation, resolveAppUrl } from './security.js';

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// The Electron-ABI build of better-sqlite3 lives beside the Node one (built by `npm run dist`).
const electronSqlite = compiledPath('native', 'electron', 'better_sqlite3.node');
if (!process.env['RXLAB_SQLITE_BINDING'] && existsSync(electronSqlite)) process.env['RXLAB_SQLITE_BINDING'] = electronSqlite;

let service: Service | undefined;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 900,
    show: false,
    title: 'rxlab',
    webPreferences: {
      // Reviewed: the preload exposes exactly call/onEvent/exportPdf through contextBridge, no Node objects.
      preload: compiledPath('electron', 'preload.cjs'), // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  // No new windows at all: a link in a note (the notebook opens those with window.open) goes to the
  // system's browser or mail client when it is http(s)/mailto, and nowhere otherwise.
  win.webContents.setWindowOpenHandler(({ url }) => {
    const ext = externalUrl(url);
    if (ext !== null) void shell.openExternal(ext);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (isAllowedNavigation(url)) return;
    event.preventDefault();
    const ext = externalUrl(url);
    if (ext !== null) void shell.openExternal(ext);
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

async function exportPdf(win: BrowserWindow, notebookId: number): Promise<Envelope<{ saved: boolean; path?: string }>> {
  if (!service) throw new Error('service not ready');
  const svc = service;
  // counted as work in flight, as rxlab:call's requests are, so store.restore cannot swap the file under it
  const report = await svc.track(() => buildReportForElectron(svc, notebookId));
  const tmp = await mkdtemp(join(tmpdir(), 'rxlab-report-'));
  const htmlFile = join(tmp, 'report.html');
  const printer = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, disableBlinkFeatures: 'Auxclick' } });
  try {
    // A file, not a data: URL: Chromium caps URL length (~2 MB), and a report with a large appendix passes that.
    await writeFile(htmlFile, report.html);
    await printer.loadFile(htmlFile);
    const pdf = await printer.webContents.printToPDF(report.printOptions);
    const choice = await dialog.showSaveDialog(win, { defaultPath: report.fileName, filters: [{ name: 'PDF', extensions: ['pdf'] }] });
    if (choice.canceled || !choice.filePath) return { ok: true, value: { saved: false } };
    await writeFile(choice.filePath, pdf);
    return { ok: true, value: { saved: true, path: choice.filePath } };
  } finally {
    printer.destroy();
    await rm(tmp, { recursive: true, force: true });
  }
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

void app.whenReady().then(() => {
  const rendererDir = compiledPath('renderer');
  protocol.handle(APP_SCHEME, (request) => {
    const file = resolveAppUrl(request.url, rendererDir);
    if (!file || !existsSync(file)) return new Response('not found', { status: 404 });
    return net.fetch(pathToFileURL(file).href);
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  // the same store as the CLI and browser mode (core/paths.ts), or `npm start -- --db FILE`
  const dbPath = dbPathFor(process.argv.slice(1));
  try {
    service = new Service({ dbPath, host: 'electron' });
  } catch (e) {
    dialog.showErrorBox('rxlab cannot open its database', e instanceof Error ? e.message : String(e));
    app.quit();
    return;
  }
  const win = createWindow();
  const s = service;
  s.onEvent((e) => {
    if (!win.isDestroyed()) win.webContents.send('rxlab:event', e);
  });
  // an answer a worker printed as JSON crosses as that text, parsed by the preload (json-text.ts)
  handle('rxlab:call', (_event, method, input) => s.reply(String(method), input));
  handle('rxlab:export-pdf', (_event, id) => {
    // untrusted, like every IPC input
    const nb = z.number().int().positive().safeParse(id);
    if (!nb.success) return Promise.reject(new Error(`rxlab:export-pdf: a notebook id (a positive whole number), not ${JSON.stringify(id) ?? String(id)}`));
    return exportPdf(win, nb.data);
  });
});

app.on('window-all-closed', () => {
  service?.close();
  service = undefined;
  app.quit();
});
