import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Service } from './service.js';

let dir: string;
let service: Service;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rxlab-service-'));
  service = new Service({ dbPath: join(dir, 'db.sqlite'), host: 'cli' });
});
afterEach(() => {
  service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Service.call validates every request against the contract', () => {
  it('rejects an unknown method', async () => {
    const r = await service.call('notebook.explode', {});
    expect(r).toEqual({ ok: false, error: { code: 'not-found', message: 'unknown method "notebook.explode"' } });
  });

  it('rejects wrong types with the path of the bad field', async () => {
    const r = await service.call('notebook.rename', { id: 'one', title: 5 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('bad-request');
    expect(r.error.issues?.map((i) => i.path).sort()).toEqual(['id', 'title']);
    expect(r.error.message).toMatch(/^notebook\.rename: invalid request: (id|title): /);
  });

  it('rejects unknown fields (strict objects) and non-object bodies', async () => {
    const extra = await service.call('notebook.create', { title: 'x', evil: true });
    expect(extra.ok).toBe(false);
    const arr = await service.call('notebook.list', [1, 2]);
    expect(arr.ok).toBe(false);
    const str = await service.call('notebook.get', 'id=1');
    expect(str.ok).toBe(false);
  });

  it('refuses a sweep of more runs than one request may plan, before anything is looked up', async () => {
    const values = Array.from({ length: 1000 }, (_, i) => 100 + i);
    const t0 = performance.now();
    const r = await service.call('sweep.run', { system: 'Linux', seeds: 100, vary: [{ key: 'link_mbps', values }, { key: 'mtu', values }] });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    if (!r.ok) expect(r.error.message).toBe('sweep.run: invalid request: vary: a sweep is at most 20,000 runs (grid points × seeds): narrow the ranges, or run it with rxlab sweep');
  });

  it('refuses a sweep that varies one knob on both axes, or also holds it fixed, naming where', async () => {
    const twice = await service.call('sweep.run', { system: 'DA', seeds: 1, vary: [{ key: 'flush_every_polls', values: [1, 3] }, { key: 'flush_every_polls', values: [2, 4] }] });
    expect(twice).toMatchObject({ ok: false, error: { code: 'bad-request', message: 'sweep.run: invalid request: vary.1.key: a knob can be varied on one axis only' } });
    const fixed = await service.call('sweep.run', { system: 'DA', seeds: 1, set: { mtu: 9000 }, vary: [{ key: 'mtu', values: [1500] }] });
    expect(fixed).toMatchObject({ ok: false, error: { code: 'bad-request', message: 'sweep.run: invalid request: set: a varied knob cannot also be held fixed in set' } });
  });

  it('refuses a cell config nested past any use with a 400 naming the cell, not a database error', async () => {
    const nb = await service.call('notebook.create', { title: 'deep' });
    if (!nb.ok) throw new Error('create');
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    const r = await service.call('notebook.save', { id: (nb.value as { id: number }).id, cells: [{ id: 'deep-cell-1', kind: 'markdown', config: { x: deep } }] });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/cells\.0\.config: nested more than 64 levels deep/) } });
  });

  it('work a host does outside call() (download routes, the PDF export) holds off a restore, and is refused during one', async () => {
    let release = (): void => undefined;
    const work = service.track(() => new Promise<string>((r) => (release = () => r('done'))));
    const refused = await service.call('store.restore', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/^other work is still running \(1 request/) } });
    release();
    expect(await work).toBe('done');
    const restoring = service.call('store.restore', {}); // no backup here: it fails, but only in its worker
    await expect(service.track(() => 'never')).rejects.toThrow('the store is being restored from its backup; try again in a moment');
    expect(await restoring).toMatchObject({ ok: false });
  });

  it('a cancel that arrives before its job has started is kept: the job starts cancelled', async () => {
    expect(await service.call('job.cancel', { jobId: 'job-early' })).toEqual({ ok: true, value: { cancelled: false } });
    const r = await service.call('sim.run', { jobId: 'job-early', runs: [{ system: 'Xen', seed: 1, set: { duration_s: 300 } }] });
    expect(r).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  });

  it('a second call under a running job\'s id is refused, and the first stays cancellable', async () => {
    const first = service.call('sim.run', { jobId: 'job-same', runs: [{ system: 'Xen', seed: 1, set: { duration_s: 300 } }] });
    await new Promise((r) => setTimeout(r, 100));
    expect(await service.call('sim.run', { jobId: 'job-same', runs: [{ system: 'Xen', seed: 1, set: { duration_s: 0.01 } }] })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/job job-same is already running/) as unknown as string },
    });
    expect(await service.call('job.cancel', { jobId: 'job-same' })).toEqual({ ok: true, value: { cancelled: true } });
    expect(await first).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  });

  it('answers not-found for a missing notebook, without throwing', async () => {
    const r = await service.call('notebook.get', { id: 4242 });
    expect(r).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('creates, saves, reorders, deletes and restores notebooks', async () => {
    const nb = await service.invoke('notebook.create', { title: 'Study' });
    const cells = [
      { id: 'aaaaaaaa-1', kind: 'markdown' as const, config: { source: '# hi' } },
      { id: 'bbbbbbbb-2', kind: 'simulation' as const, config: { systems: ['DA'] }, output: { runIds: [1] } },
    ];
    await service.invoke('notebook.save', { id: nb.id, cells });
    let got = await service.invoke('notebook.get', { id: nb.id });
    expect(got.cells.map((c) => c.id)).toEqual(['aaaaaaaa-1', 'bbbbbbbb-2']);
    expect(got.cells[1]?.output).toEqual({ runIds: [1] });
    await service.invoke('notebook.save', { id: nb.id, cells: [cells[1]!] });
    got = await service.invoke('notebook.get', { id: nb.id });
    expect(got.cells.map((c) => c.id)).toEqual(['bbbbbbbb-2']);
    await service.invoke('notebook.delete', { id: nb.id });
    expect(await service.invoke('notebook.list', {})).toEqual([]);
    await service.invoke('notebook.restore', { id: nb.id });
    expect((await service.invoke('notebook.list', {})).map((n) => n.title)).toEqual(['Study']);
    const copy = await service.invoke('notebook.duplicate', { id: nb.id });
    expect(copy.title).toBe('Study (copy)');
    expect(copy.cells[0]?.id).not.toBe('bbbbbbbb-2');
  });

  it('a save from a window that has not seen the latest save is refused as an edit conflict; without a base revision it wins', async () => {
    const nb = await service.invoke('notebook.create', { title: 'Two windows' });
    expect(nb.revision).toBe(0);
    const mine = [{ id: 'eeeeeeee-1', kind: 'markdown' as const, config: { source: 'window A' } }];
    const theirs = [{ id: 'eeeeeeee-1', kind: 'markdown' as const, config: { source: 'window B' } }];
    const a = await service.invoke('notebook.save', { id: nb.id, cells: mine, baseRevision: 0 });
    expect(a.revision).toBe(1);
    // window B loaded revision 0 too
    const b = await service.call('notebook.save', { id: nb.id, cells: theirs, baseRevision: 0 });
    expect(b).toMatchObject({ ok: false, error: { code: 'edit-conflict' } });
    if (!b.ok) expect(b.error.message).toMatch(/another window or tab.*revision 1.*nothing was overwritten/);
    let got = await service.invoke('notebook.get', { id: nb.id });
    expect(got.cells[0]?.config).toEqual({ source: 'window A' });
    expect(got.revision).toBe(1);
    // "keep mine": no base revision
    expect((await service.invoke('notebook.save', { id: nb.id, cells: theirs })).revision).toBe(2);
    got = await service.invoke('notebook.get', { id: nb.id });
    expect(got.cells[0]?.config).toEqual({ source: 'window B' });
    // a rename is not a cell save: it neither bumps nor checks the revision
    await service.invoke('notebook.rename', { id: nb.id, title: 'Renamed' });
    expect((await service.invoke('notebook.save', { id: nb.id, cells: mine, baseRevision: 2 })).revision).toBe(3);
  });

  it('a cell id cannot be stolen by another notebook', async () => {
    const a = await service.invoke('notebook.create', { title: 'A' });
    const b = await service.invoke('notebook.create', { title: 'B' });
    await service.invoke('notebook.save', { id: a.id, cells: [{ id: 'cccccccc-3', kind: 'markdown', config: {} }] });
    const r = await service.call('notebook.save', { id: b.id, cells: [{ id: 'cccccccc-3', kind: 'markdown', config: {} }] });
    expect(r.ok).toBe(false);
    expect((await service.invoke('notebook.get', { id: a.id })).cells).toHaveLength(1);
  });
});
