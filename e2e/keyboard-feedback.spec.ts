import { join } from 'node:path';
import { REAL_LOGS, test, expect } from './fixtures.js';
import { addCell, backend, openNewNotebook } from './page-helpers.js';

/** What a first hour with the notebook turned up (a read-only UX review): focus, undo, menus, errors, leaving mid-run. */
test('focus follows an undone deletion, Markdown undoes a line at a time, Esc closes the Add cell menu, every failed import is named, a UDP run shows what arrived and says what was sent', async ({ app }) => {
  const { page } = app;
  await openNewNotebook(page);
  const md = await addCell(page, 'Markdown');
  const src = md.getByLabel('Markdown source');
  await src.click();
  await page.keyboard.type('first line');
  await page.keyboard.press('Enter');
  await page.keyboard.type('second line');
  await page.keyboard.press('Control+z'); // the second line goes, the first stays
  await expect(src).toHaveValue('first line');
  // the focus stays in the field: what is typed next is text, not command-mode keys ("dd" deleted the cell)
  await expect(src).toBeFocused();
  await page.keyboard.type(' dd');
  await expect(src).toHaveValue('first line dd');
  await expect(page.locator('section.cell')).toHaveCount(1);
  for (let i = 0; i < 3; i++) await page.keyboard.press('Control+z'); // " dd", then "first line", then nothing:
  await expect(src).toHaveValue(''); // past the typing it is not the app's undo of the cell's insertion
  await expect(page.locator('section.cell')).toHaveCount(1);
  await expect(src).toBeFocused();
  // nor the browser's own undo of the field, whose history the app's restores left behind: redo brings
  // every step back (an extra Ctrl+Z had emptied the note for good and saved it so)
  await page.keyboard.press('Control+z');
  await expect(src).toHaveValue('');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Control+Shift+z');
  await expect(src).toHaveValue('first line dd');
  await page.keyboard.press('Escape');

  // Add cell is a menu button: Enter opens it on its first item, the arrows move, Esc goes back to the button
  const addButton = page.getByRole('button', { name: 'Add cell' });
  await addButton.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Markdown' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Simulation' })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(page.getByRole('menuitem', { name: 'Plot' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toBeHidden();
  await expect(addButton).toBeFocused();
  await page.getByRole('button', { name: 'Add cell' }).click();
  await page.mouse.click(5, 400);
  await expect(page.getByRole('menu')).toBeHidden();

  // D D, then Ctrl+Z: the restored cell is the focused one, so a second D D deletes what is shown selected
  const sweep = await addCell(page, 'Sweep');
  await addCell(page, 'Plot');
  await sweep.focus();
  await page.keyboard.press('d');
  await page.keyboard.press('d');
  await expect(page.locator('section.cell')).toHaveCount(2);
  await page.keyboard.press('Control+z');
  await expect(page.locator('section.cell')).toHaveCount(3);
  await expect(page.locator('section.cell').nth(1)).toBeFocused();

  // the Sweep cell checks its seeds as you type
  const restored = page.locator('section.cell').nth(1);
  await restored.getByLabel('Seeds').fill('');
  await expect(restored.getByRole('alert').filter({ hasText: 'Seeds: a whole number from 1 to 100' })).toBeVisible();
  // Ctrl+Z in the field undoes the field (the seeds come back) and the focus stays there
  await page.keyboard.press('Control+z');
  await expect(restored.getByLabel('Seeds')).toHaveValue('3');
  await expect(restored.getByLabel('Seeds')).toBeFocused();
  await page.keyboard.press('Escape');

  // undoing a move selects the moved cell (the Sweep, back in second place)
  await restored.getByRole('button', { name: 'Move cell up' }).click();
  await page.locator('section.cell').nth(2).focus(); // the selection goes elsewhere meanwhile
  await page.keyboard.press('Control+z');
  await expect(page.locator('section.cell').nth(1)).toHaveAttribute('data-kind', 'sweep');
  await expect(page.locator('section.cell').nth(1)).toBeFocused();

  // a bad knob value is said once, beside its field, and Run puts the focus there
  await restored.getByLabel('Set a knob').selectOption('mtu');
  await restored.getByRole('textbox', { name: 'MTU' }).fill('100');
  await restored.getByRole('button', { name: 'Run' }).click();
  await expect(restored.getByRole('textbox', { name: 'MTU' })).toBeFocused();
  await expect(restored.getByRole('alert')).toHaveCount(1);
  await expect(restored.getByRole('alert')).toHaveText('MTU must be at least 576 bytes');
  await restored.getByRole('button', { name: 'Remove MTU' }).click();

  // two files that are not logs: both are named, not only the last
  const imp = await addCell(page, 'Import');
  await imp.getByLabel('Import log').setInputFiles([
    { name: 'junk.txt', mimeType: 'text/plain', buffer: Buffer.from('nothing a tool wrote\n') },
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('lunch at noon\n') },
  ]);
  const err = imp.getByRole('alert');
  await expect(err).toContainText('junk.txt:1: cannot tell which tool wrote this file');
  await expect(err).toContainText('notes.txt:1: cannot tell which tool wrote this file');
  await expect(err).not.toContainText('junk.txt: junk.txt');

  // a UDP_STREAM row's throughput is what the receiver got; its note says what was sent
  await imp.getByLabel('Import log').setInputFiles(join(REAL_LOGS, 'netperf', 'netperf-2.4.4-manual-udp_stream-remote-zero-received.txt'));
  const row = imp.getByRole('table', { name: 'Records' }).getByRole('row').nth(1);
  await expect(row.getByRole('cell').nth(2)).toHaveText('0');
  await expect(row).toContainText('sent 2,786.99 10^6bits/sec (100 % of messages lost)');
});

test('a reload in the middle of a run cancels its job in the backend', async ({ app }) => {
  const { page } = app;
  const nb = (await backend(page, 'notebook.create', { title: 'long run' })) as unknown as { value: { id: number } };
  const config = { systems: ['Xen'], workload: 'stream', seeds: 1, set: { duration_s: 300 } };
  await backend(page, 'notebook.save', { id: nb.value.id, cells: [{ id: '00000000-0000-4000-8000-000000000002', kind: 'simulation', config }] });
  await page.evaluate((i) => (location.hash = `#/notebook/${i}`), nb.value.id);
  const sim = page.locator('section.cell').first();
  let jobId = '';
  page.on('request', (r) => {
    if (r.url().includes('/api/call/sim.run')) jobId = (JSON.parse(r.postData() ?? '{}') as { jobId?: string }).jobId ?? jobId;
  });
  if (app.target === 'electron') test.skip(true, 'the job id is read from the HTTP request; over IPC the same call goes through the bridge');
  await sim.getByRole('button', { name: 'Run' }).click();
  await expect(sim.locator('.run-badge')).toBeVisible();
  expect(jobId).toMatch(/^job-/);
  await app.reload();
  await expect(page.getByLabel('Notebook title')).toBeVisible();
  // The page cancelled it as it went, so the backend no longer knows the job. Asked once: a job still
  // running would be cancelled by this very call and answer true.
  const r = (await backend(page, 'job.cancel', { jobId })) as unknown as { value: { cancelled: boolean } };
  expect(r.value.cancelled).toBe(false);
});

test('a link in a note opens in a new tab: the notebook stays and its run goes on', async ({ app }) => {
  const { page } = app;
  if (app.target === 'electron') test.skip(true, 'the desktop app hands the link to the system browser (electron/main.ts); no second page to wait for');
  const nb = (await backend(page, 'notebook.create', { title: 'note with a link' })) as unknown as { value: { id: number } };
  const cells = [
    { id: '00000000-0000-4000-8000-000000000011', kind: 'markdown', config: { source: 'See [the paper](https://example.org/paper.pdf), [notes](notes.html) and [the results](#results).\n\n## Results' } },
    { id: '00000000-0000-4000-8000-000000000012', kind: 'simulation', config: { systems: ['Xen'], workload: 'stream', seeds: 1, set: { duration_s: 300 } } },
  ];
  await backend(page, 'notebook.save', { id: nb.value.id, cells });
  await page.evaluate((i) => (location.hash = `#/notebook/${i}`), nb.value.id);
  const sim = page.locator('section.cell').nth(1);
  let cancels = 0;
  page.on('request', (r) => {
    if (r.url().includes('/api/call/job.cancel')) cancels++;
  });
  await page.context().route('https://example.org/**', (r) => r.fulfill({ status: 200, body: 'paper' }));
  await sim.getByRole('button', { name: 'Run' }).click();
  await expect(sim.locator('.run-badge')).toBeVisible();
  const popup = page.context().waitForEvent('page');
  await page.getByRole('link', { name: 'the paper' }).click();
  await (await popup).close();
  // a relative link leads nowhere here (it used to leave the notebook too), an anchor to its heading
  await page.getByRole('link', { name: 'notes' }).click();
  await page.getByRole('link', { name: 'the results' }).click();
  await page.waitForTimeout(300);
  await expect(page).toHaveURL(new RegExp(`#/notebook/${nb.value.id}$`));
  await expect(sim.locator('.run-badge')).toBeVisible();
  await expect(sim.getByText('Cancelled.')).toHaveCount(0);
  expect(cancels).toBe(0);
  await sim.getByRole('button', { name: 'Cancel' }).click();
  await expect(sim.getByText('Cancelled.')).toBeVisible();
});
