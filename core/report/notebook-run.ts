/**
 * `rxlab notebook run`: a notebook's **Run all**, headless. The notebook runs exactly as in the app —
 * the same renderer code in the system Chromium, against a browser-mode server of this process — so
 * a script or CI can re-run a notebook after new logs or a recalibration, then print its report.
 * Run all stops at the first cell that fails, as in the app; the answer says which cell and why.
 */
import { existsSync } from 'node:fs';
import { compiledPath } from '../paths.js';
import { serve } from '../server.js';
import type { Service } from '../service.js';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { reportRoutes } from './routes.js';

export interface CellRun {
  /** 1-based, as the notebook numbers its cells. */
  index: number;
  kind: string;
  state: 'ran' | 'failed' | 'not run';
  /** The cell's error (failed) or its notice (e.g. an Import cell without a file). */
  message: string | null;
}

export interface NotebookRun {
  ms: number;
  cells: CellRun[];
  /** Whether the results reached the database ("Saved" in the app), and if not, what the app said. */
  saved: boolean;
  saveState: string;
}

export interface NotebookRunOptions {
  signal?: AbortSignal;
  /** Give up after this long (the cell in flight is left to the app's own cancel: the browser closes). */
  timeoutMs: number;
  /** "cell 2 of 5 (Sweep): running… 12/40", whenever it changes. */
  onProgress?: (line: string) => void;
}

export class NotebookRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotebookRunError';
  }
}

const POLL_MS = 250;
const NOTHING_RAN = 'cancelled before Run all started: nothing ran, nothing changed';

export async function runNotebookHeadless(service: Service, id: number, opts: NotebookRunOptions): Promise<NotebookRun> {
  const t0 = performance.now();
  const app = compiledPath('renderer', 'index.html');
  if (!existsSync(app)) throw new NotebookRunError(`the app is not built (${app} is missing): run npm run build`);
  const srv = await serve(service, { port: 0, routes: reportRoutes(service) });
  // Ctrl+C is ours: the browser stays up until the run says what it stopped (see below)
  const browser = await launchChromium({ ownSignals: true }).catch(async (e: unknown) => {
    await srv.close();
    // Ctrl+C while Chromium starts reaches it too (one process group), and its launch fails: that is a cancel
    if (opts.signal?.aborted === true) throw new NotebookRunError(NOTHING_RAN);
    throw e;
  });
  try {
    if (opts.signal?.aborted === true) throw new NotebookRunError(NOTHING_RAN);
    return await drive(browser, srv.url, id, opts, t0);
  } catch (e) {
    if (e instanceof NotebookRunError && e.message === NOTHING_RAN) throw e;
    // a Ctrl+C may also have reached Chromium (one process group): say "cancelled", not what broke
    if (opts.signal?.aborted === true) throw new NotebookRunError('cancelled: the cell in flight was stopped; the results of the cells before it are saved');
    throw e;
  } finally {
    try {
      await browser.close();
    } finally {
      await srv.close(); // an open server would keep the CLI from exiting
    }
  }
}

/** Stops the cell in flight as the app's Cancel does (its job leaves the worker pool) and waits for Run all to end and the notebook to save. */
async function stopRunAll(page: Page, before: number): Promise<void> {
  await page.locator('section.cell:has(.run-badge)').getByRole('button', { name: 'Cancel', exact: true }).first().click({ timeout: 2000 }).catch(() => undefined);
  await page.locator(`.page[data-run-all-done="${before + 1}"]`).waitFor({ timeout: 5000 }).catch(() => undefined);
  await settledSave(page);
}

/** Waits (up to a minute) until the app says the notebook is saved, or why it is not. */
async function settledSave(page: Page): Promise<void> {
  await page.locator('header span.save.saved, header span.save.conflict, header span.save.error').first().waitFor({ timeout: 60_000 }).catch(() => undefined);
}

/** Opens the notebook, presses Run all, follows it to the end and reads what each cell says. */
async function drive(browser: Browser, url: string, id: number, opts: NotebookRunOptions, t0: number): Promise<NotebookRun> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: false });
  // Only this server: nothing else is fetched.
  const origin = new URL(url).origin;
  await context.route('**/*', (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()));
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${url}#/notebook/${id}`);
  const opened = page.locator('.page[data-run-all-done]');
  const failedToOpen = page.getByRole('alert').filter({ hasText: /^Could not open this notebook/ });
  try {
    await opened.getByLabel('Notebook title').or(failedToOpen).first().waitFor({ timeout: 30_000 });
  } catch {
    throw new NotebookRunError('the notebook did not open within 30 s: is the app built from this version (npm run build)?');
  }
  if (await failedToOpen.count()) throw new NotebookRunError((await failedToOpen.textContent()) ?? 'could not open the notebook');
  const cells = page.locator('section.cell');
  const kinds = await cells.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind') ?? '?'));
  const n = kinds.length;
  const label = (i: number): string => `cell ${i + 1} of ${n} (${kinds[i] ?? '?'})`;
  const before = Number(await opened.getAttribute('data-run-all-done'));
  if (opts.signal?.aborted === true) throw new NotebookRunError(NOTHING_RAN);
  if (n > 0) {
    await page.getByRole('button', { name: 'Run all', exact: true }).click();
    let said = '';
    const deadline = Date.now() + opts.timeoutMs;
    for (;;) {
      if (Number(await opened.getAttribute('data-run-all-done')) > before) break;
      if (opts.signal?.aborted) {
        await stopRunAll(page, before);
        throw new NotebookRunError('cancelled'); // given its full message by the caller
      }
      if (pageErrors.length) throw new NotebookRunError(`the notebook page failed: ${pageErrors[0]}`);
      if (Date.now() > deadline) {
        await stopRunAll(page, before);
        throw new NotebookRunError(`still running after ${Math.round(opts.timeoutMs / 1000)} s (--timeout): the cell in flight was stopped; the results of the cells before it are saved`);
      }
      // the cell in flight and what its badge says ("running… 12/40")
      const now = await page
        .locator('section.cell:has(.run-badge)')
        .evaluateAll((els) => els.map((el) => ({ i: Number(el.getAttribute('data-index')), text: el.querySelector('.run-badge')?.textContent?.trim() ?? '' }))[0] ?? null);
      const line = now === null ? '' : `${label(now.i)}: ${now.text}`;
      if (line !== '' && line !== said) opts.onProgress?.(line);
      said = line || said;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
  // What each cell says: Run all stops at the first failure, so the cells after it did not run.
  const outcome = await cells.evaluateAll((els) =>
    els.map((el) => ({
      // a failure on a field's value shows beside the field; the cell carries it as data-failed
      error: el.querySelector(':scope > .body > p.error[role="alert"]')?.textContent?.trim() ?? el.getAttribute('data-failed') ?? null,
      notice: el.querySelector(':scope > .body > p.muted[role="status"]')?.textContent?.trim() ?? null,
    })),
  );
  const failedAt = outcome.findIndex((o) => o.error !== null);
  const result: CellRun[] = kinds.map((kind, i) => ({
    index: i + 1,
    kind,
    state: failedAt < 0 || i < failedAt ? 'ran' : i === failedAt ? 'failed' : 'not run',
    message: i === failedAt ? (outcome[i]?.error ?? null) : (outcome[i]?.notice ?? null),
  }));
  // The app saves within half a second of a change; wait for it to say so (or why not).
  const save = page.locator('header span.save');
  await settledSave(page);
  const saveState = ((await save.textContent()) ?? '').trim();
  return { ms: Math.round(performance.now() - t0), cells: result, saved: (await save.getAttribute('class'))?.split(/\s+/).includes('saved') === true, saveState };
}

/** The run as a few lines for a terminal. */
export function formatNotebookRun(title: string, id: number, r: NotebookRun): string {
  const ran = r.cells.filter((c) => c.state === 'ran').length;
  const lines = [`notebook ${id} "${title}": ${ran} of ${r.cells.length} cells ran in ${(r.ms / 1000).toFixed(1)} s; ${r.saved ? 'results saved' : `NOT saved (${r.saveState})`}`];
  for (const c of r.cells) lines.push(`  [${c.index}] ${c.kind.padEnd(10)} ${c.state}${c.message ? `: ${c.message}` : ''}`);
  return `${lines.join('\n')}\n`;
}
