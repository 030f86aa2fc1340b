import { getNotebook } from '../store/notebooks.js';
import { RUN_COLUMNS, stableStringify, type RunRow } from '../store/runs.js';
import { stablePretty, stablePrettyRows } from './stable-pretty.js';
import { RxnbError } from './import.js';
import { MAX_RXNB_CHARS } from '../contract/schemas.js';
import type { Db } from '../store/db.js';
import { APP_VERSION } from '../version.js';
import { IMPORTED_KEY, RXNB_FORMAT, RXNB_VERSION, type RxnbDoc, type RxnbFile, type RxnbRun } from './format.js';
import { collectRefs, mapRefs, parameterSetNames, type IdKind } from './refs.js';
import { getParameterSet } from '../sweep/paramsets.js';

interface FileRow {
  id: number;
  sha256: string;
  file_name: string;
  size_bytes: number;
  bytes: Buffer;
  tool: string;
  format: string;
  parser_version: string;
  warnings: string;
  document: string;
  record_count: number | null;
  imported_at: string;
}

/** Re-exported: stable JSON. */
export { stablePretty };

/** The .rxnb on-disk form (format 2): stable pretty JSON with one line per run. */
export function rxnbText(doc: RxnbDoc): string {
  return stablePrettyRows(doc, 'runs');
}

/** Builds the .rxnb document of a notebook: its cells, the runs and imported files they reference. */
export function exportNotebookDoc(db: Db, notebookId: number): RxnbDoc {
  const nb = getNotebook(db, notebookId);
  const runStmt = db.prepare(`SELECT ${RUN_COLUMNS} FROM run WHERE id = ?`);
  const fileStmt = db.prepare('SELECT * FROM imported_file WHERE id = ?');
  const runsOfFile = db.prepare('SELECT id FROM run WHERE imported_file_id = ? ORDER BY id').pluck();

  const runRef = new Map<number, number>();
  const fileRef = new Map<number, number>();
  const runRows: RunRow[] = [];
  const fileRows: FileRow[] = [];
  const addFile = (id: number): boolean => {
    if (fileRef.has(id)) return true;
    const row = fileStmt.get(id) as FileRow | undefined;
    if (!row) return false;
    fileRef.set(id, fileRows.length + 1);
    fileRows.push(row);
    return true;
  };
  const addRun = (id: number): boolean => {
    if (runRef.has(id)) return true;
    const row = runStmt.get(id) as RunRow | undefined;
    if (!row) return false;
    runRef.set(id, runRows.length + 1);
    runRows.push(row);
    if (row.imported_file_id !== null) addFile(row.imported_file_id);
    return true;
  };
  for (const c of nb.cells) {
    // refs are numbered in sorted-key order, so the numbering does not depend on how the JSON was stored
    const refs = collectRefs(JSON.parse(stableStringify([c.config, c.output])));
    refs.runIds.forEach(addRun);
    refs.fileIds.forEach(addFile);
  }
  // Every record of a referenced file travels with it, so an Import cell that keeps only fileIds still works.
  for (let i = 0; i < fileRows.length; i++) for (const rid of runsOfFile.all(fileRows[i]?.id) as number[]) addRun(rid);

  const warnings: string[] = [];
  const toRef = (cellId: string) => (kind: IdKind, id: number): number | null => {
    const r = (kind === 'run' ? runRef : fileRef).get(id);
    if (r === undefined) warnings.push(`cell ${cellId}: ${kind} ${id} does not exist in the database; exported as null`);
    return r ?? null;
  };
  // Every run's metrics in one query (ids as one JSON array), not one query per run.
  const metricsOf = new Map<number, { metrics: Record<string, number | null>; units: Record<string, string> }>();
  for (const r of runRows) metricsOf.set(r.id, { metrics: {}, units: {} });
  const metricRows = db
    .prepare('SELECT run_id, metric, value, unit FROM result WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, metric')
    .iterate(JSON.stringify(runRows.map((r) => r.id))) as Iterable<{ run_id: number; metric: string; value: number | null; unit: string | null }>;
  for (const m of metricRows) {
    const into = metricsOf.get(m.run_id);
    if (into === undefined) continue;
    into.metrics[m.metric] = m.value;
    if (m.unit !== null) into.units[m.metric] = m.unit;
  }

  const runs: RxnbRun[] = runRows.map((r) => {
    const { metrics, units } = metricsOf.get(r.id) ?? { metrics: {}, units: {} };
    return {
      ref: runRef.get(r.id) ?? 0,
      kind: r.kind,
      system: r.system,
      workload: r.workload,
      label: r.label,
      parameters: JSON.parse(r.parameters) as Record<string, unknown>,
      seed: r.seed,
      appVersion: r.app_version,
      modelVersion: r.model_version,
      inputSha256: r.input_sha256,
      fileRef: r.imported_file_id === null ? null : (fileRef.get(r.imported_file_id) ?? null),
      // as simulated, wherever the run was: an imported run's key is exported as it came
      cacheKey: r.cache_key?.startsWith(IMPORTED_KEY) ? r.cache_key.slice(IMPORTED_KEY.length) : (r.cache_key ?? null),
      detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
      createdAt: r.created_at,
      metrics,
      units,
    };
  });
  const files: RxnbFile[] = fileRows.map((f) => ({
    ref: fileRef.get(f.id) ?? 0,
    sha256: f.sha256,
    fileName: f.file_name,
    sizeBytes: f.size_bytes,
    tool: f.tool,
    format: f.format,
    parserVersion: f.parser_version,
    warnings: JSON.parse(f.warnings) as string[],
    // as stored: records in the document, or `records: []` and carried by the file's runs, which
    // all travel with it (format 2, recordCount)
    document: JSON.parse(f.document) as unknown,
    importedAt: f.imported_at,
    bytesBase64: Buffer.from(f.bytes).toString('base64'),
    ...(f.record_count !== null ? { recordCount: f.record_count } : {}),
  }));
  const doc: RxnbDoc = {
    format: RXNB_FORMAT,
    version: RXNB_VERSION,
    app: { name: 'rxlab', version: APP_VERSION },
    notebook: {
      title: nb.title,
      createdAt: nb.createdAt,
      updatedAt: nb.updatedAt,
      cells: nb.cells.map((c) => ({
        id: c.id,
        kind: c.kind,
        config: mapRefs(c.config, toRef(c.id)) as Record<string, unknown>,
        output: c.output === undefined ? null : mapRefs(c.output, toRef(c.id)),
        stale: c.stale,
        updatedAt: c.updatedAt,
      })),
    },
    files,
    runs,
  };
  // the saved parameter sets the cells run from, so the notebook runs the same elsewhere
  const names = new Set<string>();
  for (const c of nb.cells) parameterSetNames(c.config, names);
  const sets = [...names].sort().flatMap((name) => {
    const ps = getParameterSet(db, name);
    if (ps === undefined) {
      warnings.push(`parameter set "${name}" (used by a cell) does not exist in the database; not exported`);
      return [];
    }
    return [{ name: ps.name, params: ps.params, report: ps.report, modelVersion: ps.modelVersion, createdAt: ps.createdAt }];
  });
  if (sets.length) doc.parameterSets = sets;
  if (warnings.length) doc.warnings = warnings;
  return doc;
}

/**
 * The .rxnb text, refused (RxnbError) when it would be larger than an import accepts: a file that
 * cannot be opened again is worse than a clear "no". A .rxnb carries every run of each referenced
 * log plus its raw bytes: format 2 is ≈ 3.6× the log's size for netperf (a 16 MiB log makes
60 MB; format 1 made 110 MB), so about 70 MiB of netperf logs fit.
 */
export function exportNotebook(db: Db, notebookId: number, maxChars = MAX_RXNB_CHARS): string {
  const doc = exportNotebookDoc(db, notebookId);
  const tooBig = (size: string): RxnbError => {
    const logBytes = doc.files.reduce((a, f) => a + f.sizeBytes, 0);
    return new RxnbError(
      `this notebook's .rxnb would be ${size}, over the ${Math.round(maxChars / 1024 / 1024)} MB a .rxnb may have: it carries all ${doc.runs.length.toLocaleString('en-US')} runs and the raw bytes of its ${doc.files.length} imported log(s) (${(logBytes / 1024 / 1024).toFixed(1)} MiB). Export the PDF report instead, or keep the large logs in a notebook of their own.`,
    );
  };
  let text: string;
  try {
    text = rxnbText(doc);
  } catch (e) {
    // V8 refuses strings past ≈ 512 MiB.
    if (e instanceof RangeError) throw tooBig('over 512 MB');
    throw e;
  }
  if (text.length > maxChars) throw tooBig(`${Math.round(text.length / 1024 / 1024)} MB`);
  return text;
}
