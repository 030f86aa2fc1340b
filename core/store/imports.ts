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

const FILE_COLS = 'id, sha256, file_name, size_bytes, tool, format, parser_version, warnings, imported_at';

/**
 * Saves an import in one transaction: the raw bytes, the parsed document, and one measured run per record
 * (netperf/iperf3/flent) or per profile (oprofile/perf). The same bytes imported again are recognised by
 * SHA-256 and not stored twice.
 */
export function saveImport(db: Db, r: ImportToSave, bytes: Uint8Array): { fileId: number; runIds: number[]; duplicate: boolean; file: ImportedFileSummary } {
  return db.transaction(() => {
    const existing = db.prepare(`SELECT ${FILE_COLS} FROM imported_file WHERE sha256 = ?`).get(r.sha256) as FileRow | undefined;
    if (existing) {
      const runIds = db.prepare('SELECT id FROM run WHERE imported_file_id = ? ORDER BY id').pluck().all(existing.id) as number[];
      return { fileId: existing.id, runIds, duplicate: true, file: toSummary(existing) };
    }
    const info = db
      .prepare(`INSERT INTO imported_file(sha256, file_name, size_bytes, bytes, tool, format, parser_version, warnings, document, imported_at)
        VALUES (?,?,?,?,?,?,?,?,?,?)`)
      .run(r.sha256, r.fileName, r.sizeBytes, Buffer.from(bytes), r.doc.tool, r.doc.format, r.parserVersion, JSON.stringify(r.doc.warnings), JSON.stringify(r.doc), nowIso());
    const fileId = Number(info.lastInsertRowid);
    const runIds: number[] = [];
    const items: unknown[] = r.doc.records.length > 0 ? r.doc.records : r.doc.profiles;
    items.forEach((item, i) => {
      const rec = (item ?? {}) as Record<string, unknown>;
      const test = typeof rec['test'] === 'string' ? rec['test'] : null;
      runIds.push(
        insertRun(db, {
          kind: 'measured',
          workload: test,
          label: `${r.fileName} #${i + 1}`,
          parameters: { tool: r.doc.tool, format: r.doc.format, index: i },
          inputSha256: r.sha256,
          importedFileId: fileId,
          detail: item,
          metrics: flattenMetrics(item, new Set(['rows', 'events', 'samples', 'percent'])),
        }),
      );
    });
    const row = db.prepare(`SELECT ${FILE_COLS} FROM imported_file WHERE id = ?`).get(fileId) as FileRow;
    return { fileId, runIds, duplicate: false, file: toSummary(row) };
  })();
}

export function listImports(db: Db): ImportedFileSummary[] {
  return (db.prepare(`SELECT ${FILE_COLS} FROM imported_file ORDER BY id DESC`).all() as FileRow[]).map(toSummary);
}

export function getImportBytes(db: Db, id: number): Buffer | undefined {
  return db.prepare('SELECT bytes FROM imported_file WHERE id = ?').pluck().get(id) as Buffer | undefined;
}
