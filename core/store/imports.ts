import type { ImportedFileSummary } from '../contract/index.js';
import { nowIso, type Db } from './db.js';
import { flattenMetrics, insertRun } from './runs.js';

/** The parts of an importer result the store needs (core/logs/import.ts's ImportResult fits this shape). */
export interface ImportToSave {
  fileName: string;
  sha256: string;
  sizeBytes: number;
  parserVersion: string;
  doc: { tool: string; format: string; warnings: string[]; records: unknown[]; profiles: unknown[] };
  /**
   * The runs, when they are kept outside the document (core/logs/import.ts's StreamedImport): read
   * one at a time, so saving a file of hundreds of MB does not need them all as objects.
   */
  records?: Iterable<unknown> & { readonly count: number };
}

interface FileRow {
  id: number;
  sha256: string;
  file_name: string;
  size_bytes: number;
  tool: string;
  format: string;
  parser_version: string;
  warnings: string;
  imported_at: string;
}

function toSummary(r: FileRow): ImportedFileSummary {
  return {
    id: r.id,
    sha256: r.sha256,
    fileName: r.file_name,
    sizeBytes: r.size_bytes,
    tool: r.tool,
    format: r.format,
    parserVersion: r.parser_version,
    warnings: JSON.parse(r.warnings) as string[],
    importedAt: r.imported_at,
  };
}

/**
 * A log's raw bytes are one SQLite value, and SQLite refuses values over 1,000,000,000 bytes
 * (SQLITE_MAX_LENGTH) with "string or blob too big"; callers check this first to say so plainly.
 */
export const MAX_STORED_LOG_BYTES = 1_000_000_000;

export function tooLargeToStore(sizeBytes: number): string | null {
  if (sizeBytes <= MAX_STORED_LOG_BYTES) return null;
  return `too large to store (${(sizeBytes / 1e9).toFixed(2)} GB): the database keeps a log's raw bytes as one value of at most 1,000,000,000 bytes`;
}

/** Per-row arrays of a profile are not scalar metrics. */
const SKIP_METRICS: ReadonlySet<string> = new Set(['rows', 'events', 'samples', 'percent']);

const FILE_COLS = 'id, sha256, file_name, size_bytes, tool, format, parser_version, warnings, imported_at';

/**
 * How a caller on another thread stops a save: `cancelled` is asked every few hundred runs, and
 * `mayCommit` once, last, inside the transaction (core/handlers/commit-gate.ts). Either saying
 * no rolls the whole import back and throws SaveCancelledError.
 */
export interface SaveGate {
  cancelled(): boolean;
  mayCommit(): boolean;
}

export class SaveCancelledError extends Error {
  constructor(file: string) {
    super(`${file}: import cancelled; nothing of it was saved`);
    this.name = 'SaveCancelledError';
  }
}

/** Runs between two looks at SaveGate.cancelled (an Atomics.load: cheap, but not free per row). */
const GATE_EVERY = 256;

/** One imported record (or profile) as the measured run that stands for it: the i-th of file `fileId`. */
export function insertImportedRun(db: Db, r: Pick<ImportToSave, 'fileName' | 'doc' | 'sha256'>, fileId: number, item: unknown, i: number, createdAt: string): number {
  const rec = (item ?? {}) as Record<string, unknown>;
  return insertRun(db, {
    kind: 'measured',
    workload: typeof rec['test'] === 'string' ? rec['test'] : null,
    label: `${r.fileName} #${i + 1}`,
    parameters: { tool: r.doc.tool, format: r.doc.format, index: i },
    inputSha256: r.sha256,
    importedFileId: fileId,
    detail: item,
    metrics: flattenMetrics(item, SKIP_METRICS),
    createdAt,
  });
}

/**
 * Saves an import in one transaction: the raw bytes, the parsed document, and one measured run per record
 * (netperf/iperf3/flent) or per profile (oprofile/perf). The same bytes imported again are recognised by
 * SHA-256 and not stored twice.
 */
export function saveImport(
  db: Db,
  r: ImportToSave,
  bytes: Uint8Array,
  /** Called with (runs saved, runs to save) as the runs go in. */
  onProgress?: (done: number, total: number) => void,
  gate?: SaveGate,
): { fileId: number; runIds: number[]; runCount: number; duplicate: boolean; file: ImportedFileSummary } {
  const findExisting = db.prepare(`SELECT ${FILE_COLS} FROM imported_file WHERE sha256 = ?`);
  const duplicateOf = (existing: FileRow): { fileId: number; runIds: number[]; runCount: number; duplicate: boolean; file: ImportedFileSummary } => {
    const runIds = db.prepare('SELECT id FROM run WHERE imported_file_id = ? ORDER BY id').pluck().all(existing.id) as number[];
    return { fileId: existing.id, runIds, runCount: runIds.length, duplicate: true, file: toSummary(existing) };
  };
  const before = findExisting.get(r.sha256) as FileRow | undefined;
  if (before) return duplicateOf(before);
  const tooLarge = tooLargeToStore(bytes.byteLength);
  if (tooLarge !== null) throw new RangeError(`${r.fileName}: ${tooLarge}`);
  // Each record is stored once, as its run's detail; the document keeps `records: []` and
  // record_count says how many runs hold them (migration 0003, loadImportDoc). Printed before the
  // transaction, so the write lock is not held while it is.
  const recordCount = r.records !== undefined ? r.records.count : r.doc.records.length;
  const document = JSON.stringify(recordCount > 0 ? { ...r.doc, records: [] } : r.doc);
  // IMMEDIATE: the write lock is taken at BEGIN. A deferred transaction that reads first and writes
  // later fails with SQLITE_BUSY_SNAPSHOT when another connection (the main thread saving the
  // notebook while a worker saves an import) commits in between; waiting for the lock does not.
  return db.transaction(() => {
    const existing = findExisting.get(r.sha256) as FileRow | undefined;
    if (existing) return duplicateOf(existing);
    const info = db
      .prepare(`INSERT INTO imported_file(sha256, file_name, size_bytes, bytes, tool, format, parser_version, warnings, document, record_count, imported_at)
        VALUES (?,?,?,?,?,?,?,?,?,?,?)`)
      .run(r.sha256, r.fileName, r.sizeBytes, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), r.doc.tool, r.doc.format, r.parserVersion, JSON.stringify(r.doc.warnings), document, recordCount > 0 ? recordCount : null, nowIso());
    const fileId = Number(info.lastInsertRowid);
    const runIds: number[] = [];
    const createdAt = nowIso();
    const items: Iterable<unknown> = recordCount > 0 ? (r.records ?? r.doc.records) : r.doc.profiles;
    const total = recordCount > 0 ? recordCount : r.doc.profiles.length;
    onProgress?.(0, total);
    let i = 0;
    for (const item of items) {
      runIds.push(insertImportedRun(db, r, fileId, item, i, createdAt));
      i++;
      onProgress?.(i, total);
      if (gate !== undefined && i % GATE_EVERY === 0 && gate.cancelled()) throw new SaveCancelledError(r.fileName);
    }
    const row = db.prepare(`SELECT ${FILE_COLS} FROM imported_file WHERE id = ?`).get(fileId) as FileRow;
    // Last, so no cancel can win after this: the function returns and better-sqlite3 commits.
    if (gate !== undefined && !gate.mayCommit()) throw new SaveCancelledError(r.fileName);
    return { fileId, runIds, runCount: runIds.length, duplicate: false, file: toSummary(row) };
  }).immediate();
}

export function listImports(db: Db): ImportedFileSummary[] {
  return (db.prepare(`SELECT ${FILE_COLS} FROM imported_file ORDER BY id DESC`).all() as FileRow[]).map(toSummary);
}

/**
 * A stored import as an Import cell shows it (what log.import answers): its summary, every run id,
 * and the document with its first `firstRecords` records (and `records_total` when there are more).
 * Cheap for any size when the runs hold the records (one LIMIT query); a document from before
 * migration 0003 is parsed whole. undefined when there is no such file.
 */
export function importedFileView(db: Db, id: number, firstRecords: number): { file: ImportedFileSummary; runIds: number[]; duplicate: true; document: unknown } | undefined {
  const row = db.prepare(`SELECT ${FILE_COLS}, document, record_count FROM imported_file WHERE id = ?`).get(id) as (FileRow & { document: string; record_count: number | null }) | undefined;
  if (row === undefined) return undefined;
  const runIds = db.prepare('SELECT id FROM run WHERE imported_file_id = ? ORDER BY id').pluck().all(id) as number[];
  const doc = JSON.parse(row.document) as { records?: unknown[] };
  let records: unknown[];
  let total: number;
  if (row.record_count === null) {
    const all = Array.isArray(doc.records) ? doc.records : [];
    records = all.slice(0, firstRecords);
    total = all.length;
  } else {
    records = runDetails(db, id, firstRecords).map((d) => (d === null ? null : (JSON.parse(d) as unknown)));
    total = row.record_count;
  }
  const document = total > records.length ? { ...doc, records, records_total: total } : { ...doc, records };
  return { file: toSummary(row), runIds, duplicate: true, document };
}

export function getImportBytes(db: Db, id: number): Buffer | undefined {
  return db.prepare('SELECT bytes FROM imported_file WHERE id = ?').pluck().get(id) as Buffer | undefined;
}

/** The details (records) of a file's runs, in record order (insertion order); limit −1: all. */
function runDetails(db: Db, fileId: number, limit = -1): Array<string | null> {
  return db.prepare('SELECT detail FROM run WHERE imported_file_id = ? ORDER BY id LIMIT ?').pluck().all(fileId, limit) as Array<string | null>;
}

export class ImportedFileDamagedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportedFileDamagedError';
  }
}

/**
 * The stored document of an imported file with its records in it, whichever way it was stored:
 * in the document itself (record_count NULL) or as the details of the file's runs, in id order.
 * undefined when there is no such file.
 */
export function loadImportDoc<T extends { records: unknown[] }>(db: Db, fileId: number): T | undefined {
  const row = db.prepare('SELECT document, record_count FROM imported_file WHERE id = ?').get(fileId) as { document: string; record_count: number | null } | undefined;
  if (row === undefined) return undefined;
  const doc = JSON.parse(row.document) as T;
  if (row.record_count === null) return doc;
  const details = runDetails(db, fileId);
  if (details.length !== row.record_count || details.includes(null)) {
    // (Importing the log again would only find it already there, by its SHA-256.)
    throw new ImportedFileDamagedError(`imported file ${fileId}: the database is damaged: it holds ${details.filter((d) => d !== null).length} of the ${row.record_count} runs that carry this log's records`);
  }
  doc.records = details.map((d) => JSON.parse(d as string) as unknown);
  return doc;
}
