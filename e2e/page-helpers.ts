import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

/** Calls the backend the way the app does (preload bridge in Electron, HTTP + token in browser mode). */
export async function backend(page: Page, method: string, input: unknown): Promise<{ ok: boolean; error?: { message: string } }> {
  return page.evaluate(
    async ([m, i]) => {
      const w = window as unknown as { rxlab?: { call(m: string, i: unknown): Promise<{ ok: boolean; error?: { message: string } }> } };
      if (w.rxlab) return w.rxlab.call(m as string, i);
      const res = await fetch(`./api/call/${m as string}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-rxlab-token': sessionStorage.getItem('rxlab-token') ?? '' },
        body: JSON.stringify(i),
      });
      return (await res.json()) as { ok: boolean; error?: { message: string } };
    },
    [method, input] as const,
  );
}

/** True unless the backend answers "not wired yet" for this method. */
export async function wired(page: Page, method: string, input: unknown): Promise<boolean> {
  const r = await backend(page, method, input);
  return !(r.ok === false && /not wired/i.test(r.error?.message ?? ''));
}

/** Clicks "New notebook" and waits for the notebook to open. */
export async function openNewNotebook(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'New notebook' }).click();
  await expect(page).toHaveURL(/#\/notebook\/\d+/);
  // the URL changes before notebook.get answers; the title field appears once the cells are loaded
  await expect(page.getByLabel('Notebook title')).toBeVisible();
}

/** Adds a cell of `kind` through the "Add cell" menu and returns it. */
export async function addCell(page: Page, kind: string): Promise<Locator> {
  const before = await page.locator('section.cell').count();
  await page.getByRole('button', { name: 'Add cell' }).click();
  await page.getByRole('menuitem', { name: kind, exact: true }).click();
  await expect(page.locator('section.cell')).toHaveCount(before + 1);
  return page.locator(`section.cell[data-kind="${kind.toLowerCase()}"]`).last();
}

/** Adds a Compare cell, runs it (the paper's tables, nothing measured yet) and returns it once Table IV shows. */
export async function addRunCompareCell(page: Page): Promise<Locator> {
  const cmp = await addCell(page, 'Compare');
  await cmp.getByRole('button', { name: 'Run' }).click();
  await expect(cmp.getByRole('table', { name: /^Table IV / })).toBeVisible({ timeout: 30_000 });
  return cmp;
}

export const hasPoppler = existsSync('/usr/bin/pdftotext') && existsSync('/usr/bin/pdftoppm');

/** Clicks Export PDF, saves the download, returns its path and pdftotext's text. */
export async function exportPdf(page: Page, name: string): Promise<{ file: string; text: string }> {
  const download = page.waitForEvent('download', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Export PDF' }).click();
  const d = await download;
  expect(d.suggestedFilename()).toMatch(/\.pdf$/);
  // this test's own output folder (test-results/<test>/), kept after the run for a person to look at
  const dir = test.info().outputPath('report-pages');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.pdf`);
  await d.saveAs(file);
  expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
  const text = hasPoppler ? execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }) : '';
  if (hasPoppler) execFileSync('pdftoppm', ['-r', '60', '-png', file, join(dir, name)]);
  return { file, text };
}

/**
 * Records, in the page, every text the elements matching `selector` show, as they change. A locator
 * polled from the test can miss a state that lasts under a second (a sweep's "3 / 12 runs" on a fast
 * machine); a MutationObserver in the page sees each one. Returns a reader of the texts so far.
 */
export async function recordTexts(page: Page, selector: string): Promise<() => Promise<string[]>> {
  const key = `__texts_${Math.random().toString(36).slice(2)}`;
  await page.evaluate(
    ({ key, selector }) => {
      const seen: string[] = [];
      (window as unknown as Record<string, string[]>)[key] = seen;
      const look = (): void => {
        for (const el of document.querySelectorAll(selector)) {
          const t = el.textContent ?? '';
          if (t !== '' && !seen.includes(t)) seen.push(t);
        }
      };
      new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true });
      look();
    },
    { key, selector },
  );
  return () => page.evaluate((k) => (window as unknown as Record<string, string[]>)[k] ?? [], key);
}

/**
 * Opens a cell's <details> panel by its summary and waits until `ready` shows. A click that lands
 * while the notebook re-renders after a reload can be lost; the click is then repeated.
 */
export async function openPanel(cell: Locator, summary: string, ready: Locator): Promise<void> {
  await expect(async () => {
    if (!(await ready.isVisible())) await cell.getByText(summary, { exact: true }).click();
    await expect(ready).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}
