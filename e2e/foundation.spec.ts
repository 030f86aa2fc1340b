import { test, expect } from './fixtures.js';

test('creates a notebook and finds it again after a reload', async ({ app }) => {
  const { page } = app;
  await expect(page.getByRole('button', { name: 'New notebook' })).toBeVisible();
  await page.getByRole('button', { name: 'New notebook' }).click();
  await expect(page).toHaveURL(/#\/notebook\/\d+/);
  await page.goto(app.url || page.url().replace(/#.*$/, ''));
  await app.reload();
  await expect(page.getByRole('list', { name: 'Notebooks' }).getByRole('link', { name: 'Untitled notebook' })).toBeVisible();
});

test('browser mode refuses API calls without the token or from a foreign Host', async ({ app }) => {
  test.skip(app.target !== 'browser', 'browser mode only');
  const base = new URL(app.url);
  const noToken = await app.page.request.post(`${base.origin}/api/call/notebook.list`, { data: {} });
  expect(noToken.status()).toBe(401);
  expect((await noToken.json()).error.message).toContain('token');
  const token = base.searchParams.get('token') ?? '';
  const foreign = await app.page.request.post(`${base.origin}/api/call/notebook.list`, {
    data: {},
    headers: { 'x-rxlab-token': token, host: 'attacker.example' },
  });
  expect(foreign.status()).toBe(403);
  const ok = await app.page.request.post(`${base.origin}/api/call/notebook.list`, { data: {}, headers: { 'x-rxlab-token': token } });
  expect(ok.status()).toBe(200);
});
