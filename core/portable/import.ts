import { createHash, randomUUID } from 'node:crypto';
import type { Notebook } from '../contract/index.js';
import type { Db } from '../store/db.js';
import { getNotebook } from '../store/notebooks.js';
import { legacySimCacheKey, simCacheKey, stableStringify } from '../store/runs.js';
import { IMPORTED_KEY, RXNB_FORMAT, RXNB_VERSION, rxnbDoc, type RxnbDoc } from './format.js';
import { collectRefs, mapRefs, renameParameterSets } from './refs.js';
import { getParameterSet, hasParameterSetTable } from '../sweep/paramsets.js';


export class RxnbError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RxnbError';
  }
}

export interface ImportReport {
  notebook: Notebook;
  /** file ref → database id, run ref → database id */
  fileIds: Map<number, number>;
  runIds: Map<number, number>;
  /** Files and runs that were already in the database (same SHA-256 / same simulation cache key). */
  reusedFiles: number;
  reusedRuns: number;
  /** True when cell ids collided with cells already in the database and were renewed. */
  renewedCellIds: boolean;
  /** Simulated runs whose cache key was not their own: stored without one, so no sweep takes them as stored points. */
  droppedCacheKeys: number;
  /** Parameter sets stored from the file; `renamedFrom` when a set of that name with other values was here already. */
  parameterSets: { name: string; renamedFrom?: string }[];
}

export function parseRxnb(text: string): RxnbDoc {
  let raw: unknown;
  try {
    // a byte-order mark (as some editors save UTF-8) is no reason to refuse the file, whichever host read it
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new RxnbError(`not an .rxnb file: ${(e as Error).message}`);
  }
  const head = (raw ?? {}) as { format?: unknown; version?: unknown };
  if (head.format !== RXNB_FORMAT) throw new RxnbError('not an .rxnb file: "format" is not "rxnb"');
  if (typeof head.version === 'number' && head.version > RXNB_VERSION)
    throw new RxnbError(`this .rxnb file has version ${head.version}; this rxlab reads up to version ${RXNB_VERSION}. Upgrade rxlab to import it.`);
  const parsed = rxnbDoc.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new RxnbError(`invalid .rxnb file: ${i ? `${i.path.join('.')}: ${i.message}` : 'bad shape'}`);
  }
  checkReferences(parsed.data);
  return parsed.data;
}

/**
 * What the shape alone does not say: refs and cell ids are unique, every run or file a cell names is
 * in the file (an export writes a lost one as null, never as a ref that is not there), and a simulated
 * run says which model and seed made it. Any of these would otherwise be stored half-right.
 */
function checkReferences(doc: RxnbDoc): void {
  if (doc.version < 1) throw new RxnbError(`invalid .rxnb file: version ${doc.version}; versions start at 1`);
  const unique = <T>(xs: T[], what: string): Set<T> => {
    const seen = new Set<T>();
    for (const x of xs) {
      if (seen.has(x)) throw new RxnbError(`invalid .rxnb file: ${what} ${String(x)} appears twice`);
      seen.add(x);
    }
    return seen;
  };
  const runRefs = unique(doc.runs.map((r) => r.ref), 'run ref');
  const fileRefs = unique(doc.files.map((f) => f.ref), 'file ref');
  unique(doc.notebook.cells.map((c) => c.id), 'cell id');
  unique((doc.parameterSets ?? []).map((p) => p.name), 'parameter set');
  for (const r of doc.runs) {
    if (r.kind === 'simulated' && (r.seed === null || r.modelVersion === null)) throw new RxnbError(`invalid .rxnb file: simulated run ${r.ref} has no ${r.seed === null ? 'seed' : 'model version'}`);
  }
  doc.notebook.cells.forEach((c, i) => {
    for (const part of [c.config, c.output]) {
      const refs = collectRefs(part, { idText: doc.version >= 3 });
      const run = refs.runIds.find((id) => !runRefs.has(id));
      if (run !== undefined) throw new RxnbError(`invalid .rxnb file: cell ${i + 1} (${c.kind}) names run ${run}, which is not in "runs"`);
      const file = refs.fileIds.find((id) => !fileRefs.has(id));
      if (file !== undefined) throw new RxnbError(`invalid .rxnb file: cell ${i + 1} (${c.kind}) names file ${file}, which is not in "files"`);
    }
  });
}

/** A .rxnb's runs by the file they belong to (fileRef), each list in file order. */
function runsByFile(doc: RxnbDoc): Map<number, RxnbDoc['runs']> {
  const runsOf = new Map<number, RxnbDoc['runs']>();
  for (const r of doc.runs) {
    if (r.fileRef === null) continue;
    const list = runsOf.get(r.fileRef);
    if (list === undefined) runsOf.set(r.fileRef, [r]);
    else list.push(r);
  }
  return runsOf;
}

/**
 * Files whose records the .rxnb's runs carry exactly as a direct import stores them: one run per
 * record, in record order (parameters.index 0, 1, …), each run's detail equal to its record. Their
 * runs are inserted in that order, so loadImportDoc gives the document back from them. Any other
 * file keeps its records in its document.
 */
function recordsInRunsOf(doc: RxnbDoc): (f: RxnbDoc['files'][number]) => number | undefined {
  const runsOf = runsByFile(doc);
  // asked only for files that are inserted (not for ones already in the database)
  return (f) => {
    const records = (f.document as { records?: unknown } | null)?.records;
    const runs = runsOf.get(f.ref) ?? [];
    if (!Array.isArray(records) || records.length === 0 || runs.length !== records.length) return undefined;
    const same = runs.every((r, i) => r.parameters['index'] === i && r.detail !== null && stableStringify(r.detail) === stableStringify(records[i]));
    return same ? records.length : undefined;
  };
}

/**
 * The runs in the order they are inserted: as in the file, except that the runs carrying a format-2
 * file's records (recordCount) go in together, in record order, where the first of them stands, so
 * their ids follow the records as loadImportDoc reads them. Refuses a file whose runs do not carry
 * exactly records 0…n−1.
 */
function insertionOrder(doc: RxnbDoc): RxnbDoc['runs'] {
  if (doc.files.every((f) => f.recordCount === undefined)) return doc.runs;
  const runsOf = runsByFile(doc);
  const carriers = new Map<number, RxnbDoc['runs']>();
  for (const f of doc.files) {
    if (f.recordCount === undefined) continue;
    const records = (f.document as { records?: unknown } | null)?.records;
    if (Array.isArray(records) && records.length > 0) throw new RxnbError(`file ${f.fileName}: has recordCount and records in its document; the .rxnb is damaged`);
    const list = [...(runsOf.get(f.ref) ?? [])];
    carriers.set(f.ref, list);
    list.sort((a, b) => Number(a.parameters['index']) - Number(b.parameters['index']));
    if (list.length !== f.recordCount || list.some((r, i) => r.parameters['index'] !== i || r.detail === null)) {
      throw new RxnbError(`file ${f.fileName}: its ${String(f.recordCount)} records should be the details of runs with parameters.index 0…${String((f.recordCount ?? 1) - 1)}; the .rxnb is damaged`);
    }
  }
  const out: RxnbDoc['runs'] = [];
  const placed = new Set<number>();
  for (const r of doc.runs) {
    const list = r.fileRef === null ? undefined : carriers.get(r.fileRef);
    if (list === undefined) out.push(r);
    else if (r.fileRef !== null && !placed.has(r.fileRef)) {
      placed.add(r.fileRef);
      out.push(...list);
    }
  }
  return out;
}

/** Replaces every string equal to an old cell id (plot `source`, compare `sources`, …). */
function renameCellIds(v: unknown, ids: Map<string, string>): unknown {
  if (typeof v === 'string') return ids.get(v) ?? v;
  if (Array.isArray(v)) return v.map((x) => renameCellIds(x, ids));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, renameCellIds(x, ids)]));
  return v;
}

/** The record index a measured run of a log carries in its parameters ({tool, format, index}). */
function recordIndex(parameters: string): number | undefined {
  try {
    const p = JSON.parse(parameters) as { index?: unknown };
    return typeof p.index === 'number' && Number.isInteger(p.index) ? p.index : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Imports a .rxnb into this database as a NEW notebook, in one transaction. Imported files already
 * present (same SHA-256) and simulated runs already present (same cache key) are reused, not duplicated;
 * everything else is inserted with its original provenance and timestamps. Cell ids are kept unless they
 * already exist here (importing twice), in which case all cell ids are renewed consistently.
 */
export function importNotebook(db: Db, text: string): ImportReport {
  const doc = parseRxnb(text);
  const fileIds = new Map<number, number>();
  const runIds = new Map<number, number>();
  const preexistingFiles = new Set<number>();
  let reusedFiles = 0;
  let reusedRuns = 0;
  let droppedKeys = 0;
  const importedSets: { name: string; renamedFrom?: string }[] = [];

  const runs = insertionOrder(doc);
  for (const f of doc.files) {
    const bytes = Buffer.from(f.bytesBase64, 'base64');
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (sha !== f.sha256 || bytes.length !== f.sizeBytes) throw new RxnbError(`file ${f.fileName}: bytes do not match the recorded SHA-256/size; the .rxnb is damaged`);
  }
  const cellExists = db.prepare('SELECT 1 FROM cell WHERE id = ?').pluck();
  const renewed = doc.notebook.cells.some((c) => cellExists.get(c.id) !== undefined);

  const nbId = db.transaction(() => {
    const fileBySha = db.prepare('SELECT id FROM imported_file WHERE sha256 = ?').pluck();
    const insFile = db.prepare(`INSERT INTO imported_file(sha256, file_name, size_bytes, bytes, tool, format, parser_version, warnings, document, record_count, imported_at)
      VALUES (?,?,?,?,?,?,?,?,?,?,?)`);
    const recordsInRuns = recordsInRunsOf(doc);
    for (const f of doc.files) {
      const existing = fileBySha.get(f.sha256) as number | undefined;
      if (existing !== undefined) {
        fileIds.set(f.ref, existing);
        preexistingFiles.add(existing);
        reusedFiles++;
        continue;
      }
      // stored as a direct import stores it: each record once, as its run (migration 0003)
      const count = f.recordCount ?? recordsInRuns(f);
      const document = count === undefined ? f.document : { ...(f.document as object), records: [] };
      const info = insFile.run(f.sha256, f.fileName, f.sizeBytes, Buffer.from(f.bytesBase64, 'base64'), f.tool, f.format, f.parserVersion, JSON.stringify(f.warnings), JSON.stringify(document), count ?? null, f.importedAt);
      fileIds.set(f.ref, Number(info.lastInsertRowid));
    }

    const runByKey = db.prepare('SELECT id FROM run WHERE cache_key = ?').pluck();
    // Runs already stored for a file that was there before, by (label, parameters): read once per
    // file. A lookup per run scanned all of the file's runs each time (quadratic: 28,000 runs of one
    // netperf log took 4 minutes to import back into the same database).
    const runsOfFile = db.prepare('SELECT id, label, parameters FROM run WHERE imported_file_id = ? ORDER BY id');
    const knownRuns = new Map<number, Map<string, number>>();
    const runOfFile = (fileId: number, params: string, label: string | null): number | undefined => {
      let known = knownRuns.get(fileId);
      if (known === undefined) {
        known = new Map();
        for (const row of runsOfFile.iterate(fileId) as Iterable<{ id: number; label: string | null; parameters: string }>) {
          const key = `${row.label === null ? '\u0000' : `=${row.label}`}\u0001${row.parameters}`;
          // the first (lowest id) run wins, as the old per-run query returned
          if (!known.has(key)) known.set(key, row.id);
          // by parameters alone too: a record's are {tool, format, index}, the same whatever the file was
          // called when it was imported, while its label carries that name ("np.txt #1")
          if (!known.has(`\u0002${row.parameters}`)) known.set(`\u0002${row.parameters}`, row.id);
          // and by record index alone: another rxlab's parser may name the format differently
          const index = recordIndex(row.parameters);
          if (index !== undefined && !known.has(`\u0003${index}`)) known.set(`\u0003${index}`, row.id);
        }
        knownRuns.set(fileId, known);
      }
      const index = recordIndex(params);
      return known.get(`${label === null ? '\u0000' : `=${label}`}\u0001${params}`) ?? known.get(`\u0002${params}`) ?? (index === undefined ? undefined : known.get(`\u0003${index}`));
    };
    const fileRecordCount = db.prepare('SELECT record_count FROM imported_file WHERE id = ?').pluck();
    const insRun = db.prepare(`INSERT INTO run(kind, system, workload, label, parameters, seed, app_version, model_version, input_sha256,
      imported_file_id, cache_key, detail, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`);
    const insResult = db.prepare('INSERT INTO result(run_id, metric, value, unit) VALUES (?,?,?,?)');
    for (const r of runs) {
      const fileId = r.fileRef === null ? null : (fileIds.get(r.fileRef) ?? null);
      if (r.fileRef !== null && fileId === null) throw new RxnbError(`run ${r.ref}: fileRef ${r.fileRef} is not in "files"`);
      const params = stableStringify(r.parameters);
      // A cache key is kept only when it is the key of the run's own model version, workload, parameters
      // and seed, and stored under IMPORTED_KEY: a later import finds the run by it, a sweep never does
      // (its results were not simulated here, and a hand-edited .rxnb could plant any number in them).
      // a file exported before the system joined the key carries the old formula: recognised, and the run
      // kept under today's key (otherwise every import of such a file stored all its runs again)
      const own = r.modelVersion !== null && r.workload !== null && r.seed !== null && r.system !== null ? simCacheKey(r.modelVersion, r.system, r.workload, r.parameters, r.seed) : null;
      const legacy = own !== null && r.cacheKey && r.cacheKey !== own && legacySimCacheKey(r.modelVersion as string, r.workload as string, r.parameters, r.seed as number) === r.cacheKey;
      const cacheKey = r.cacheKey && own !== null && (own === r.cacheKey || legacy) ? own : null;
      if (r.cacheKey && cacheKey === null) droppedKeys++;
      const reuse =
        (cacheKey ? ((runByKey.get(cacheKey) ?? runByKey.get(IMPORTED_KEY + cacheKey)) as number | undefined) : undefined) ??
        (fileId !== null && preexistingFiles.has(fileId) ? runOfFile(fileId, params, r.label) : undefined);
      if (reuse !== undefined) {
        runIds.set(r.ref, reuse);
        reusedRuns++;
        continue;
      }
      // A log stored here keeps its records as its runs, counted in record_count: one more run on it
      // would leave the log reported as damaged from then on.
      if (fileId !== null && preexistingFiles.has(fileId) && fileRecordCount.get(fileId) !== null) {
        throw new RxnbError(`run ${r.ref} (${r.label ?? 'no label'}): not among the runs of ${doc.files.find((f) => f.ref === r.fileRef)?.fileName ?? 'its log'}, which this database holds already; the .rxnb does not match that log`);
      }
      const info = insRun.run(r.kind, r.system, r.workload, r.label, params, r.seed, r.appVersion, r.modelVersion, r.inputSha256, fileId, cacheKey === null ? null : IMPORTED_KEY + cacheKey, r.detail === null || r.detail === undefined ? null : JSON.stringify(r.detail), r.createdAt);
      const id = Number(info.lastInsertRowid);
      for (const [metric, value] of Object.entries(r.metrics)) insResult.run(id, metric, value, r.units[metric] ?? null);
      runIds.set(r.ref, id);
    }

    // Parameter sets: one here with the same values is used as it is; a name taken by other values gets
    // the imported set under a new name, and the cells follow it (never a silent swap of values).
    const rename = new Map<string, string>();
    if (doc.parameterSets?.length && hasParameterSetTable(db)) {
      const insSet = db.prepare('INSERT INTO parameter_set(name, params, report, model_version, created_at) VALUES (?,?,?,?,?)');
      for (const ps of doc.parameterSets) {
        const here = getParameterSet(db, ps.name);
        if (here !== undefined && stableStringify(here.params) === stableStringify(ps.params)) continue;
        let name = ps.name;
        for (let i = 1; getParameterSet(db, name) !== undefined; i++) name = `${ps.name.slice(0, 80)} (imported${i > 1 ? ` ${i}` : ''})`;
        insSet.run(name, JSON.stringify(ps.params), ps.report === undefined || ps.report === null ? null : JSON.stringify(ps.report), ps.modelVersion, ps.createdAt);
        if (name !== ps.name) rename.set(ps.name, name);
        importedSets.push(name === ps.name ? { name } : { name, renamedFrom: ps.name });
      }
    }
    const toDb = (kind: 'run' | 'file', ref: number): number | null => (kind === 'run' ? runIds : fileIds).get(ref) ?? null;
    const cellIds = new Map<string, string>(doc.notebook.cells.map((c) => [c.id, renewed ? randomUUID() : c.id]));
    const nb = db.prepare('INSERT INTO notebook(title, created_at, updated_at) VALUES (?,?,?)').run(doc.notebook.title, doc.notebook.createdAt, doc.notebook.updatedAt);
    const notebookId = Number(nb.lastInsertRowid);
    const insCell = db.prepare('INSERT INTO cell(id, notebook_id, position, kind, config, output, stale, updated_at) VALUES (?,?,?,?,?,?,?,?)');
    doc.notebook.cells.forEach((c, position) => {
      const opts = { idText: doc.version >= 3 };
      let config = mapRefs(c.config, toDb, opts);
      let output = c.output === null || c.output === undefined ? null : mapRefs(c.output, toDb, opts);
      if (rename.size > 0) config = renameParameterSets(config, rename);
      if (renewed) {
        config = renameCellIds(config, cellIds);
        output = renameCellIds(output, cellIds);
      }
      insCell.run(cellIds.get(c.id) ?? c.id, notebookId, position, c.kind, JSON.stringify(config), output === null ? null : JSON.stringify(output), c.stale ? 1 : 0, c.updatedAt);
    });
    return notebookId;
  }).immediate(); // write lock at BEGIN: see saveImport (core/store/imports.ts) for why

  return { notebook: getNotebook(db, nbId), fileIds, runIds, reusedFiles, reusedRuns, renewedCellIds: renewed, droppedCacheKeys: droppedKeys, parameterSets: importedSets };
}
