import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRoot } from '../paths.js';
import { useTempService } from './temp-service.js';
import { UI_RECORDS } from './logs.js';
import { netperfRun, rng } from '../logs/generate.js';
import { loadImportDoc } from '../store/imports.js';

const LOGS = resolve(appRoot(), '..', 'shared', 'real-logs');
const service = useTempService('rxlab-import-');

describe('log.import through the service (worker thread + store)', () => {
  it('imports a real netperf log once, keeps the raw bytes, and recognises the same file again', async () => {
    const file = join(LOGS, 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt');
    const data = readFileSync(file);
    const first = await service().invoke('log.import', { fileName: 'a.log', dataBase64: data.toString('base64') });
    expect(first.duplicate).toBe(false);
    expect(first.file.tool).toBe('netperf');
    expect(first.runIds.length).toBeGreaterThan(0);
    const again = await service().invoke('log.import', { fileName: 'renamed.log', dataBase64: data.toString('base64') });
    expect(again.duplicate).toBe(true);
    expect(again.file.id).toBe(first.file.id);
    const stored = service().db.prepare('SELECT bytes FROM imported_file WHERE id = ?').pluck().get(first.file.id) as Buffer;
    expect(stored.equals(data)).toBe(true);
    const runs = await service().invoke('runs.get', { ids: first.runIds });
    expect(runs[0]?.provenance.inputSha256).toBe(first.file.sha256);
  });

  it('a log of many runs: every run is stored, the caller gets the first 500 and the total', async () => {
    const r = rng(9);
    let text = '';
    for (let i = 0; i < 620; i++) text += netperfRun(r, i);
    const res = await service().invoke('log.import', { fileName: 'many.log', dataBase64: Buffer.from(text).toString('base64') });
    const doc = res.document as { records: unknown[]; records_total?: number };
    expect(doc.records).toHaveLength(UI_RECORDS);
    expect(doc.records_total).toBeGreaterThan(UI_RECORDS);
    // each record is stored once, as its run; the stored document keeps none of them
    const row = service().db.prepare('SELECT document, record_count FROM imported_file WHERE id = ?').get(res.file.id) as { document: string; record_count: number };
    expect((JSON.parse(row.document) as { records: unknown[] }).records).toEqual([]);
    expect(row.record_count).toBe(doc.records_total);
    const stored = loadImportDoc<{ records: unknown[] }>(service().db, res.file.id);
    expect(stored?.records).toHaveLength(doc.records_total ?? 0);
    expect(stored?.records.slice(0, UI_RECORDS)).toEqual(doc.records);
  });

  it('imports.get gives a stored log as log.import gave it: first runs in the document, every run id', async () => {
    const r = rng(11);
    let text = '';
    for (let i = 0; i < 620; i++) text += netperfRun(r, i);
    const res = await service().invoke('log.import', { fileName: 'stored.log', data: Buffer.from(text) });
    const got = await service().invoke('imports.get', { id: res.file.id });
    expect(got).toEqual({ ...res, duplicate: true });
    const missing = await service().call('imports.get', { id: 987654 });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error).toMatchObject({ code: 'not-found', message: 'imported file 987654 does not exist' });
  });

  it('answers a damaged file with FILE:LINE and saves nothing', async () => {
    const before = service().db.prepare('SELECT count(*) FROM imported_file').pluck().get();
    const r = await service().call('log.import', { fileName: 'junk.txt', dataBase64: Buffer.from('hello\nworld\n').toString('base64') });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('bad-request');
      expect(r.error.message).toMatch(/^junk\.txt:\d+: /);
    }
    expect(service().db.prepare('SELECT count(*) FROM imported_file').pluck().get()).toBe(before);
  });
});

describe('sim.run through the service', () => {
  it('runs DA once, stores provenance, and serves the same request from the store', async () => {
    const req = { runs: [{ system: 'DA' as const, seed: 7, set: { duration_s: 0.2, warmup_s: 0.05 } }] };
    const first = await service().invoke('sim.run', req);
    expect(first.cached).toBe(0);
    const run = first.runs[0];
    expect(run?.kind).toBe('simulated');
    expect(run?.provenance.seed).toBe(7);
    expect(run?.provenance.modelVersion).toMatch(/\S/);
    expect(run?.provenance.parameters).toHaveProperty('flush_every_polls');
    expect(run?.metrics['throughput_mbps']).toBeGreaterThan(0);
    const again = await service().invoke('sim.run', req);
    expect(again.cached).toBe(1);
    expect(again.runs[0]?.id).toBe(run?.id);
  });

  it('a system whose knobs make it another (DA with flush_every_polls=1 is LRO) gets runs of its own, labelled as asked', async () => {
    const set = { flush_every_polls: 1, duration_s: 0.02, warmup_s: 0.005 };
    const res = await service().invoke('sim.run', { runs: [{ system: 'LRO', seed: 1, set }, { system: 'DA', seed: 1, set }] });
    expect(res.runs.map((r) => r.system)).toEqual(['LRO', 'DA']);
    expect(res.runs[0]?.id).not.toBe(res.runs[1]?.id);
    // the same mechanism, so the same numbers
    expect(res.runs[1]?.metrics['throughput_mbps']).toBe(res.runs[0]?.metrics['throughput_mbps']);
  });

  it('rejects an unknown knob with its name before running anything', async () => {
    const r = await service().call('sim.run', { runs: [{ system: 'LRO', set: { flush_evry_polls: 2 } }] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('bad-request');
      expect(r.error.message).toMatch(/flush_evry_polls/);
    }
  });
});

describe('knobs and parameter sets', () => {
  it('lists every knob with unit, range and default from the model', async () => {
    const knobs = await service().invoke('sim.knobs', {});
    const k = knobs.find((x) => x.name === 'flush_every_polls');
    expect(k).toMatchObject({ kind: 'int' });
    expect(typeof k?.default).toBe('number');
    expect(knobs.find((x) => x.name === 'flush_policy')?.values).toContain('adaptive');
  });
  it('gives each knob’s value in every system’s preset, on the saved set asked for (a knob added to a cell starts there)', async () => {
    const { presetParams } = await import('../sim/systems.js');
    const knobs = await service().invoke('sim.knobs', {});
    for (const system of ['Linux', 'Xen', 'LRO', 'BO', 'DA'] as const) {
      const preset = presetParams(system) as unknown as Record<string, unknown>;
      for (const k of knobs) expect(k.presets[system], `${system} ${k.name}`).toEqual(preset[k.name]);
    }
    const byName = (ks: typeof knobs, n: string): unknown => ks.find((k) => k.name === n)?.presets;
    expect(byName(knobs, 'flush_every_polls')).toMatchObject({ LRO: 1, DA: 2 });
    expect(byName(knobs, 'duration_s')).toMatchObject({ DA: 0.15 });
    // a set that is not there is refused by name
    expect(await service().call('sim.knobs', { parameterSet: 'nope' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
  it('refuses an unknown parameter set by name', async () => {
    const r = await service().call('sim.run', { runs: [{ system: 'Xen', parameterSet: 'nope' }] });
    expect(r).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await service().invoke('params.list', {})).toEqual([]);
  });
});

describe('notebook.export / notebook.import (.rxnb)', () => {
  it('round-trips a notebook through the API and refuses damaged text with a clear error', async () => {
    const nb = await service().invoke('notebook.create', { title: 'Portable' });
    await service().invoke('notebook.save', { id: nb.id, cells: [{ id: 'dddddddd-4', kind: 'markdown', config: { source: 'hi' } }] });
    const { fileName, text } = await service().invoke('notebook.export', { id: nb.id });
    expect(fileName).toMatch(/\.rxnb$/);
    const back = await service().invoke('notebook.import', { text });
    expect(back.id).not.toBe(nb.id);
    expect(back.cells.map((c) => c.config)).toEqual([{ source: 'hi' }]);
    const bad = await service().call('notebook.import', { text: '{"format": 1' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});
