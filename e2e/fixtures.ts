import { test as base, chromium, _electron, type Page, type BrowserContext } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
export const REAL_LOGS = resolve(ROOT, '..', 'shared', 'real-logs');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** One app instance under test: a page, its base URL (browser mode) and a way to reload it. */
export interface AppHandle {
  page: Page;
  context: BrowserContext;
  /** Browser mode only: the URL line printed by `rxlab serve` (with token). */
  url: string;
  dbPath: string;
  target: 'browser' | 'electron';
  reload(): Promise<void>;
}

/** Starts `rxlab serve --port 0` on a fresh database and waits for its URL line. */
export async function startServer(dbPath: string, env: Record<string, string> = {}): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [join(ROOT, 'bin', 'rxlab.js'), 'serve', '--port', '0', '--db', dbPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const url = await new Promise<string>((res, rej) => {
    let buf = '';
    const timer = setTimeout(() => rej(new Error(`rxlab serve printed no URL in 20 s: ${buf}`)), 20_000);
    proc.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(buf);
      if (m?.[1]) {
        clearTimeout(timer);
        res(m[1]);
      }
    });
    proc.stderr?.on('data', (d: Buffer) => (buf += d.toString()));
    proc.on('exit', (code) => rej(new Error(`rxlab serve exited with ${code}: ${buf}`)));
  });
  return { url, proc };
}

export async function stopServer(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  await new Promise<void>((res) => {
    proc.once('exit', () => res());
    proc.kill('SIGTERM');
  });
}

export const test = base.extend<{ app: AppHandle; serverEnv: Record<string, string> }>({
  /** Extra environment for the app's backend (a spec's test.use), e.g. SLURM_CONF of a local cluster. */
  serverEnv: [{}, { option: true }],
  app: async ({ serverEnv }, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-e2e-'));
    const dbPath = join(dir, 'rxlab.db');
    if (process.env['RXLAB_E2E_TARGET'] === 'electron') {
      // Same specs against the desktop shell, where the Electron binary exists.
      const app = await _electron.launch({ args: [join(ROOT, 'out', 'electron', 'main.js')], env: { ...process.env, ...serverEnv, RXLAB_DB: dbPath } });
      const page = await app.firstWindow();
      await use({ page, context: app.context(), url: '', dbPath, target: 'electron', reload: async () => void (await page.reload()) });
      await app.close();
    } else {
      if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
      const { url, proc } = await startServer(dbPath, serverEnv);
      const profile = mkdtempSync(join(tmpdir(), 'rxlab-pw-'));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1280, height: 900 },
        acceptDownloads: true,
      });
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);
      await use({ page, context, url, dbPath, target: 'browser', reload: async () => void (await page.reload()) });
      await context.close();
      await stopServer(proc);
      rmSync(profile, { recursive: true, force: true });
      if (errors.length) throw new Error(`uncaught page errors: ${errors.join('; ')}`);
    }
    rmSync(dir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
