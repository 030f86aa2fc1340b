import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { StoredRun } from '../contract/index.js';
import { makeFixture, NETPERF_STREAM, type Fixture } from '../report/test-fixture.js';
import { openStore, type Db } from '../store/db.js';
import { getImportBytes, listImports, loadImportDoc, saveImport } from '../store/imports.js';
import { importBytesSync } from '../logs/import.js';
import { getNotebook } from '../store/notebooks.js';
import { findRunByCacheKey, getRuns, legacySimCacheKey, simCacheKey, stableStringify } from '../store/runs.js';
import { exportNotebook, exportNotebookDoc, rxnbText, stablePretty } from './export.js';
import type { RxnbDoc } from './format.js';
import { importNotebook, parseRxnb } from './import.js';
import { collectRefs, mapRefs } from './refs.js';
import { getParameterSet, saveParameterSet } from '../sweep/paramsets.js';

/** The same notebook as a version 1 file: each file's records back in its document. */
function toV1(doc: RxnbDoc): RxnbDoc {
  const v1 = structuredClone(doc);
  v1.version = 1;
  for (const f of v1.files) {
    if (f.recordCount === undefined) continue;
    const runs = v1.runs.filter((r) => r.fileRef === f.ref).sort((a, b) => Number(a.parameters['index']) - Number(b.parameters['index']));
    (f.document as { records: unknown[] }).records = runs.map((r) => r.detail);
    delete f.recordCount;
  }
  return v1;
}

/** A run without its database ids, for comparing across databases. */
function portable(r: StoredRun, fileSha: (id: number | null) => string | null): unknown {
  const { id: _id, importedFileId, ...rest } = r;
  return { ...rest, file: fileSha(importedFileId) };
}

describe('.rxnb round trip', () => {
  let f: Fixture;
  let dir: string;
  let fresh: Db;
  beforeAll(() => {
    f = makeFixture();
    dir = mkdtempSync(join(tmpdir(), 'rxlab-rxnb-'));
    fresh = openStore(join(dir, 'fresh.db'));
    // shift ids in the fresh database so a missed remap cannot pass by coincidence
    fresh.prepare("INSERT INTO run(kind, app_version, created_at) VALUES ('simulated', 'x', 'x')").run();
  });
  afterAll(() => {
    fresh.close();
    f.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test('export → import into a fresh database → identical cells and results (after id remap)', () => {
    const text = exportNotebook(f.service.db, f.notebookId);
    const r = importNotebook(fresh, text);
    const a = getNotebook(f.service.db, f.notebookId);
    const b = r.notebook;
    expect(b.title).toBe(a.title);
    expect(b.createdAt).toBe(a.createdAt);
    expect(b.cells.length).toBe(a.cells.length);

    // old db id → new db id, through the file-local refs
    const doc = parseRxnb(text);
    const runRefOf = new Map<number, number>();
    const fileRefOf = new Map<number, number>();
    a.cells.forEach((c, i) => {
      // same key order as the file, so the i-th reference on both sides is the same one
      const before = collectRefs(JSON.parse(stableStringify([c.config, c.output])));
      const inFile = collectRefs([doc.notebook.cells[i]?.config, doc.notebook.cells[i]?.output]);
      before.runIds.forEach((id, k) => runRefOf.set(id, inFile.runIds[k] ?? -1));
      before.fileIds.forEach((id, k) => fileRefOf.set(id, inFile.fileIds[k] ?? -1));
    });
    const remap = (kind: 'run' | 'file', id: number): number | null => {
      const ref = (kind === 'run' ? runRefOf : fileRefOf).get(id);
      return ref === undefined ? null : ((kind === 'run' ? r.runIds : r.fileIds).get(ref) ?? null);
    };
    a.cells.forEach((c, i) => {
      const d = b.cells[i];
      expect(d?.id).toBe(c.id);
      expect(d?.kind).toBe(c.kind);
      expect(d?.stale).toBe(c.stale);
      expect(d?.updatedAt).toBe(c.updatedAt);
      expect(d?.config).toEqual(mapRefs(c.config, remap));
      expect(d?.output).toEqual(mapRefs(c.output, remap));
    });
    expect(runRefOf.size).toBeGreaterThan(40);
    const idsOld = [...runRefOf.keys()];
    expect(idsOld.some((id) => remap('run', id) !== id)).toBe(true);

    // results: every run with provenance, metrics and detail, and the raw log bytes
    const shaOld = (id: number | null): string | null => listImports(f.service.db).find((x) => x.id === id)?.sha256 ?? null;
    const shaNew = (id: number | null): string | null => listImports(fresh).find((x) => x.id === id)?.sha256 ?? null;
    const oldRuns = getRuns(f.service.db, idsOld);
    const newRuns = getRuns(fresh, idsOld.map((id) => remap('run', id) ?? -1));
    expect(newRuns.map((x) => portable(x, shaNew))).toEqual(oldRuns.map((x) => portable(x, shaOld)));
    const newFileId = remap('file', f.fileId) ?? -1;
    expect(getImportBytes(fresh, newFileId)?.toString()).toBe(NETPERF_STREAM);
    // stored as a direct import stores it: each record once, as its run
    const stored = fresh.prepare('SELECT document, record_count FROM imported_file WHERE id = ?').get(newFileId) as { document: string; record_count: number | null };
    expect(stored.record_count).toBe(doc.files[0]?.recordCount);
    expect(stored.record_count).toBeGreaterThan(0);
    expect((JSON.parse(stored.document) as { records: unknown[] }).records).toEqual([]);

    // exporting the imported notebook gives the same bytes: refs are file-local, timestamps preserved
    // (only the warning about the fixture's dangling run id is gone, since that id became null)
    const again = exportNotebook(fresh, b.id);
    const { warnings, ...withoutWarnings } = JSON.parse(text) as { warnings?: string[] };
    expect(warnings).toHaveLength(1);
    expect(again).toBe(rxnbText(withoutWarnings as RxnbDoc));
  });

  test('keys are sorted and the file is pretty-printed (diffs well)', () => {
    const text = exportNotebook(f.service.db, f.notebookId);
    expect(text.split('\n').length).toBeGreaterThan(100);
    const top = Object.keys(JSON.parse(text) as object);
    expect(top).toEqual([...top].sort());
    expect(exportNotebook(f.service.db, f.notebookId)).toBe(text);
  });

  test('a file saved with a UTF-8 byte-order mark reads as without one', () => {
    const text = exportNotebook(f.service.db, f.notebookId);
    expect(parseRxnb(`\uFEFF${text}`)).toEqual(parseRxnb(text));
  });

  test('importing twice reuses files and simulated runs and renews cell ids', () => {
    const text = exportNotebook(f.service.db, f.notebookId);
    const r = importNotebook(f.service.db, text);
    expect(r.renewedCellIds).toBe(true);
    expect(r.reusedFiles).toBe(1);
    expect(r.reusedRuns).toBe(r.runIds.size);
    const a = getNotebook(f.service.db, f.notebookId);
    expect(r.notebook.cells.map((c) => c.kind)).toEqual(a.cells.map((c) => c.kind));
    expect(r.notebook.cells.every((c, i) => c.id !== a.cells[i]?.id)).toBe(true);
    // same runs, so outputs are identical
    const dangling = (_k: string, id: number): number | null => (id === 99999 ? null : id);
    // references to cells (Compare inputs, Plot sources) follow the renewed ids
    const renamed = new Map(a.cells.map((c, i) => [c.id, r.notebook.cells[i]?.id ?? '']));
    const rename = (v: unknown): unknown => JSON.parse(JSON.stringify(v), (_k, x: unknown) => (typeof x === 'string' ? (renamed.get(x) ?? x) : x));
    expect(r.notebook.cells.map((c) => c.output)).toEqual(a.cells.map((c) => rename(mapRefs(c.output, dangling))));
    expect(r.notebook.cells.map((c) => c.config)).toEqual(a.cells.map((c) => rename(c.config)));
  });

  test('a log already here under another file name is reused with its runs: none added, the log stays sound', () => {
    const other = openStore(join(dir, 'other-name.db'));
    try {
      const bytes = Buffer.from(NETPERF_STREAM);
      const mine = saveImport(other, importBytesSync('renamed-on-this-machine.txt', bytes), bytes);
      const before = other.prepare('SELECT count(*) FROM run').pluck().get();
      const r = importNotebook(other, exportNotebook(f.service.db, f.notebookId));
      expect(r.reusedFiles).toBe(1);
      // the record runs are this database's own, found by what they are (tool, format, index), not by label
      const recordRuns = [...r.runIds.values()].filter((id) => mine.runIds.includes(id));
      expect(recordRuns.length).toBe(mine.runIds.length);
      expect(other.prepare('SELECT count(*) FROM run WHERE imported_file_id = ?').pluck().get(mine.fileId)).toBe(mine.runIds.length);
      expect(() => loadImportDoc(other, mine.fileId)).not.toThrow();
      expect(other.prepare('SELECT count(*) FROM run').pluck().get()).toBe(Number(before) + r.runIds.size - r.reusedRuns);
    } finally {
      other.close();
    }
  });

  test('damaged or foreign files are refused with a clear message', () => {
    const doc = exportNotebookDoc(f.service.db, f.notebookId);
    expect(() => parseRxnb('{')).toThrow(/not an \.rxnb file/);
    expect(() => parseRxnb('{"format":"ipynb"}')).toThrow(/not an \.rxnb file/);
    expect(() => parseRxnb(JSON.stringify({ ...doc, version: 99 }))).toThrow(/version 99/);
    // a hand-edited config deeper than SQLite's json_valid accepts: named, not a CHECK failure on save
    const deep = structuredClone(doc);
    let nest: unknown = 1;
    for (let i = 0; i < 1100; i++) nest = [nest];
    if (deep.notebook.cells[0]) deep.notebook.cells[0].config = { x: nest };
    expect(() => parseRxnb(JSON.stringify(deep))).toThrow(/notebook\.cells\.0\.config: nested more than 64 levels deep/);
    const bad = structuredClone(doc);
    const file = bad.files[0];
    if (file) file.bytesBase64 = Buffer.from('tampered').toString('base64');
    expect(() => importNotebook(fresh, JSON.stringify(bad))).toThrow(/SHA-256/);
  });

  test('references that do not hold are refused before anything is stored: a missing or doubled ref, a doubled cell id, a simulated run without its seed', () => {
    const doc = exportNotebookDoc(f.service.db, f.notebookId);
    const runsBefore = fresh.prepare('SELECT count(*) FROM run').pluck().get();
    const withCell = (mutate: (d: RxnbDoc) => void): string => {
      const d = structuredClone(doc);
      mutate(d);
      return JSON.stringify(d);
    };
    const sim = doc.notebook.cells.findIndex((c) => c.kind === 'simulation');
    expect(sim).toBeGreaterThanOrEqual(0);
    const cases: [string, RegExp][] = [
      [withCell((d) => ((d.notebook.cells[sim]!.output as { runIds: number[] }).runIds = [9999])), new RegExp(`cell ${sim + 1} \\(simulation\\) names run 9999, which is not in "runs"`)],
      [withCell((d) => d.runs.push({ ...d.runs[0]!, label: 'twin' })), /run ref 1 appears twice/],
      [withCell((d) => d.notebook.cells.push({ ...d.notebook.cells[0]! })), /cell id .* appears twice/],
      [withCell((d) => (d.runs.find((r) => r.kind === 'simulated')!.seed = null)), /simulated run \d+ has no seed/],
      [withCell((d) => (d.version = -7)), /version -7; versions start at 1/],
    ];
    for (const [text, why] of cases) expect(() => importNotebook(fresh, text)).toThrow(why);
    expect(fresh.prepare('SELECT count(*) FROM run').pluck().get()).toBe(runsBefore);
  });

  test('a simulated run whose cache key is not its own is stored without one, so no sweep serves it as a stored point', () => {
    const doc = exportNotebookDoc(f.service.db, f.notebookId);
    const planted = structuredClone(doc);
    const run = planted.runs.find((r) => r.kind === 'simulated')!;
    run.metrics['throughput_mbps'] = 99999;
    run.parameters['c_br'] = 1; // edited, cache key left as it was
    const db = openStore(join(dir, 'planted.db'));
    try {
      const r = importNotebook(db, JSON.stringify(planted));
      expect(r.droppedCacheKeys).toBe(1);
      expect(db.prepare('SELECT cache_key FROM run WHERE id = ?').pluck().get(r.runIds.get(run.ref))).toBeNull();
      expect(db.prepare('SELECT count(*) FROM run WHERE cache_key = ?').pluck().get(run.cacheKey)).toBe(0);
      // the others keep theirs
      expect(db.prepare("SELECT count(*) FROM run WHERE kind = 'simulated' AND cache_key IS NOT NULL").pluck().get()).toBe(planted.runs.filter((x) => x.kind === 'simulated').length - 1);
    } finally {
      db.close();
    }
  });

  test('a version 1 file (records in the document, one line per field) imports as it did, and is stored as rxlab stores it', () => {
    const doc = exportNotebookDoc(f.service.db, f.notebookId);
    const v1 = toV1(doc);
    expect(v1.files[0]?.recordCount).toBeUndefined();
    const other = openStore(join(dir, 'v1.db'));
    try {
      const r = importNotebook(other, stablePretty(v1));
      const id = r.fileIds.get(doc.files[0]?.ref ?? 0) ?? -1;
      expect(other.prepare('SELECT record_count FROM imported_file WHERE id = ?').pluck().get(id)).toBe(doc.files[0]?.recordCount);
      expect(loadImportDoc(other, id)).toEqual(v1.files[0]?.document);
      // and it exports as the version 2 file it would have been
      const { warnings: _w, ...rest } = doc;
      expect(exportNotebook(other, r.notebook.id)).toBe(rxnbText(rest as RxnbDoc));
    } finally {
      other.close();
    }
  });

  test('version 2 is smaller than version 1: one line per run, each record once', () => {
    const doc = exportNotebookDoc(f.service.db, f.notebookId);
    const v2 = rxnbText(doc);
    const v1 = stablePretty(toV1(doc));
    // this fixture is mostly simulated runs; a netperf import's notebook shrinks to about half
    expect(v2.length).toBeLessThan(0.85 * v1.length);
    const runLines = v2.split('\n').filter((l) => l.startsWith('    {"appVersion":'));
    expect(runLines).toHaveLength(doc.runs.length);
    expect(JSON.parse(v2)).toEqual(JSON.parse(stablePretty(doc)));
  });

  test('a version 2 file whose runs do not carry its records is refused as damaged', () => {
    const doc = exportNotebookDoc(f.service.db, f.notebookId);
    const file = doc.files[0];
    if (file?.recordCount !== undefined) file.recordCount += 1;
    expect(() => importNotebook(fresh, JSON.stringify(doc))).toThrow(/records should be the details of runs with parameters\.index 0…\d+; the \.rxnb is damaged/);
  });

  test('a file whose runs do not match its records keeps its records in its document', () => {
    const doc = toV1(exportNotebookDoc(f.service.db, f.notebookId));
    const run = doc.runs.find((r) => r.fileRef !== null);
    if (run) run.detail = { ...(run.detail as object), throughput: -1 };
    const other = openStore(join(dir, 'other.db'));
    try {
      const r = importNotebook(other, JSON.stringify(doc));
      const id = r.fileIds.get(doc.files[0]?.ref ?? 0) ?? -1;
      expect(other.prepare('SELECT record_count FROM imported_file WHERE id = ?').pluck().get(id)).toBeNull();
      expect(loadImportDoc(other, id)).toEqual(doc.files[0]?.document);
    } finally {
      other.close();
    }
  });

  test('dangling run ids are exported as null with a warning', () => {
    const doc = exportNotebookDoc(f.service.db, f.notebookId);
    expect(doc.warnings?.some((w) => w.includes('run 99999'))).toBe(true);
  });
});

describe('.rxnb size limit', () => {
  test('export refuses a .rxnb larger than import accepts, saying why and what to do', () => {
    const f = makeFixture();
    try {
      const db = f.service.db;
      const text = exportNotebook(db, f.notebookId);
      expect(() => exportNotebook(db, f.notebookId, text.length - 1)).toThrow(/would be \d+ MB, over the \d+ MB a \.rxnb may have: it carries all \d+ runs and the raw bytes of its \d+ imported log\(s\).*Export the PDF report instead/);
      expect(exportNotebook(db, f.notebookId, text.length)).toBe(text);
    } finally {
      f.cleanup();
    }
  });
});

describe('id text (the Compare cell keeps its Stored runs and Imported files fields as text)', () => {
  test('travels as references: the runs go with the notebook and the text names them in the new database', async () => {
    const f = makeFixture();
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-rxnb-text-'));
    const other = openStore(join(dir, 'other.db'));
    try {
      // shift ids in the other database so the old ids would name other rows there
      for (let i = 0; i < 7; i++) other.prepare("INSERT INTO run(kind, app_version, created_at) VALUES ('simulated', 'x', 'x')").run();
      const [a, b] = [f.simRunIds[3] ?? -1, f.simRunIds[4] ?? -1];
      const nb = await f.service.invoke('notebook.create', { title: 'ids as text' });
      const config = { runIds: `${a}-${b}`, fileIds: `Xen: ${f.fileId}`, inputs: [], measuredSystem: 'Xen' };
      await f.service.invoke('notebook.save', { id: nb.id, cells: [{ id: 'cccccccc-1', kind: 'compare', config }] });
      const doc = exportNotebookDoc(f.service.db, nb.id);
      expect(doc.version).toBe(3);
      // both runs and the log go with it (the log's record runs too)
      expect(doc.runs.filter((r) => r.fileRef === null)).toHaveLength(2);
      expect(doc.files).toHaveLength(1);
      const r = importNotebook(other, rxnbText(doc));
      const cfg = r.notebook.cells[0]?.config ?? {};
      const m = /^(\d+)-(\d+)$/.exec(String(cfg['runIds']));
      const newIds = [Number(m?.[1]), Number(m?.[2])];
      expect(newIds[0]).not.toBe(a);
      expect(cfg['fileIds']).toBe(`Xen: ${r.fileIds.get(doc.files[0]?.ref ?? -1)}`);
      const strip = (x: StoredRun): unknown => ({ system: x.system, seed: x.provenance.seed, label: x.label, metrics: x.metrics });
      expect(getRuns(other, newIds).map(strip)).toEqual(getRuns(f.service.db, [a, b]).map(strip));
      // and the deletion check and the report see them
      expect(collectRefs(config)).toEqual({ runIds: [a, b], fileIds: [f.fileId] });
    } finally {
      other.close();
      f.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('per-testbed text, unknown ids dropped, and text that is not id text left alone', () => {
    const map = (_k: string, id: number): number | null => (id === 4 ? null : id * 10);
    expect(mapRefs({ fileIds: 'Xen: 3-5; LRO:7' }, map)).toEqual({ fileIds: 'Xen: 30, 50; LRO: 70' });
    expect(mapRefs({ runIds: ' 12,  20-22 ' }, map)).toEqual({ runIds: '120, 200, 210, 220' });
    for (const text of ['abc', '3-1', '0', '1-999999999', 'Xen 3']) expect(mapRefs({ runIds: text }, map)).toEqual({ runIds: text });
    expect(collectRefs({ runIds: '1-999999999' })).toEqual({ runIds: [], fileIds: [] });
    // a .rxnb before version 3 kept the text as it was: import reads it so
    expect(mapRefs({ runIds: '3-5' }, map, { idText: false })).toEqual({ runIds: '3-5' });
  });

  test('a version 2 file: its id text is imported as it was, not refused as dangling', () => {
    const f = makeFixture();
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-rxnb-v2-'));
    const other = openStore(join(dir, 'other.db'));
    try {
      const doc = exportNotebookDoc(f.service.db, f.notebookId);
      doc.version = 2;
      const cell = doc.notebook.cells[0];
      if (cell) cell.config = { ...cell.config, runIds: '900-901' };
      const r = importNotebook(other, rxnbText(doc));
      expect(r.notebook.cells[0]?.config['runIds']).toBe('900-901');
    } finally {
      other.close();
      f.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a .rxnb written before the system joined the run key', () => {
  test('is recognised: its runs get today\'s key, a second import reuses them, and no "edited?" warning', () => {
    const f = makeFixture();
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-rxnb-legacy-'));
    const other = openStore(join(dir, 'other.db'));
    try {
      const doc = exportNotebookDoc(f.service.db, f.notebookId);
      const sims = doc.runs.filter((r) => r.kind === 'simulated' && r.cacheKey);
      expect(sims.length).toBeGreaterThan(0);
      // as an earlier rxlab wrote them
      for (const r of sims) r.cacheKey = legacySimCacheKey(r.modelVersion as string, r.workload as string, r.parameters, r.seed as number);
      const text = rxnbText(doc);
      const first = importNotebook(other, text);
      expect(first.droppedCacheKeys).toBe(0); // was every run: "carried a cache key that is not their own (edited?)"
      const again = importNotebook(other, text);
      for (const r of sims) expect(again.runIds.get(r.ref)).toBe(first.runIds.get(r.ref));
      const mine = sims[0] as (typeof sims)[number];
      expect(exportNotebookDoc(other, first.notebook.id).runs.find((x) => x.label === mine.label && x.seed === mine.seed)?.cacheKey).toBe(
        simCacheKey(mine.modelVersion as string, mine.system as string, mine.workload as string, mine.parameters, mine.seed as number),
      );
    } finally {
      other.close();
      f.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('results that came in a .rxnb are not served as this machine\'s sweep points', () => {
  test('a hand-edited run (its key recomputed to match) is stored, but a sweep does not find it; a second import still reuses it', () => {
    const f = makeFixture();
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-rxnb-plant-'));
    const other = openStore(join(dir, 'other.db'));
    try {
      const doc = exportNotebookDoc(f.service.db, f.notebookId);
      const run = doc.runs.find((r) => r.kind === 'simulated' && r.cacheKey);
      if (!run?.cacheKey) throw new Error('fixture has no simulated run with a cache key');
      run.metrics = { ...run.metrics, throughput_mbps: 999 };
      const text = rxnbText(doc);
      const r = importNotebook(other, text);
      const id = r.runIds.get(run.ref) ?? -1;
      expect(getRuns(other, [id])[0]?.metrics['throughput_mbps']).toBe(999);
      // what a sweep asks the store for: nothing
      expect(findRunByCacheKey(other, run.cacheKey)).toBeUndefined();
      // the next import of the same file reuses the run rather than storing it twice
      const again = importNotebook(other, text);
      expect(again.runIds.get(run.ref)).toBe(id);
      // and the key goes out as it came in
      expect(exportNotebookDoc(other, r.notebook.id).runs.find((x) => x.label === run.label && x.seed === run.seed)?.cacheKey).toBe(run.cacheKey);
    } finally {
      other.close();
      f.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parameter sets travel with the notebook', () => {
  test('a cell\'s saved set goes in the file; imported where it is missing, renamed where the name holds other values, reused where it is the same', async () => {
    const f = makeFixture();
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-rxnb-sets-'));
    const dbs = ['empty', 'same', 'other'].map((n) => openStore(join(dir, `${n}.db`)));
    try {
      const [empty, same, other] = dbs as [Db, Db, Db];
      const mine = { c_pirq: 90000 };
      saveParameterSet(f.service.db, { name: 'myfit', params: mine, modelVersion: 'm' });
      const nb = await f.service.invoke('notebook.create', { title: 'from my fit' });
      const cell = { id: 'dddddddd-1', kind: 'simulation' as const, config: { systems: ['Xen'], workload: 'stream', seeds: 2, set: {}, parameterSet: 'myfit' } };
      await f.service.invoke('notebook.save', { id: nb.id, cells: [cell] });
      const text = exportNotebook(f.service.db, nb.id);
      expect(parseRxnb(text).parameterSets).toEqual([expect.objectContaining({ name: 'myfit', params: mine })]);

      const a = importNotebook(empty, text);
      expect(a.parameterSets).toEqual([{ name: 'myfit' }]);
      expect(getParameterSet(empty, 'myfit')?.params).toEqual(mine);

      saveParameterSet(same, { name: 'myfit', params: { ...mine }, modelVersion: 'm' });
      expect(importNotebook(same, text).parameterSets).toEqual([]);

      // a set of that name with other values: the file's is added beside it and the cell uses it
      saveParameterSet(other, { name: 'myfit', params: { c_pirq: 20000 }, modelVersion: 'm' });
      const c = importNotebook(other, text);
      expect(c.parameterSets).toEqual([{ name: 'myfit (imported)', renamedFrom: 'myfit' }]);
      expect(c.notebook.cells[0]?.config['parameterSet']).toBe('myfit (imported)');
      expect(getParameterSet(other, 'myfit (imported)')?.params).toEqual(mine);
      expect(getParameterSet(other, 'myfit')?.params).toEqual({ c_pirq: 20000 });
      // a file naming the same set twice is refused before anything is stored
      const doubled = parseRxnb(text);
      doubled.parameterSets = [...(doubled.parameterSets ?? []), ...(doubled.parameterSets ?? [])];
      expect(() => importNotebook(empty, JSON.stringify(doubled))).toThrow(/parameter set myfit appears twice/);
    } finally {
      for (const d of dbs) d.close();
      f.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
