import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { netperfRun, rng } from '../logs/generate.js';
import { importBytes, importBytesRecords } from '../logs/import.js';
import { realLogsDir } from '../logs/real-logs-dir.js';
import { openStore, type Db } from './db.js';
import { loadMigrations, migrate } from './migrate.js';
import { ImportedFileDamagedError, importedFileView, loadImportDoc, saveImport } from './imports.js';
import { useTempDb } from './temp-db.js';

let dir: string;
let db: Db;
useTempDb('rxlab-imports-', (d, x) => {
  dir = d;
  db = x;
});

const storedRow = (id: number): { document: string; record_count: number | null } =>
  db.prepare('SELECT document, record_count FROM imported_file WHERE id = ?').get(id) as { document: string; record_count: number | null };

describe('imported documents: each record stored once, as its run (migration 0003)', () => {
  it('every real netperf, iperf3 and flent log loads back exactly as imported', async () => {
    let checked = 0;
    for (const tool of ['netperf', 'iperf3', 'flent']) {
      for (const name of readdirSync(join(realLogsDir(), tool))) {
        const bytes = readFileSync(join(realLogsDir(), tool, name));
        const want = (await importBytes(name, bytes)).doc;
        const s = importBytesRecords(name, bytes);
        const saved = saveImport(db, s, bytes);
        s.records.dispose();
        const row = storedRow(saved.fileId);
        if (want.records.length > 0) {
          expect(JSON.parse(row.document)).toEqual({ ...want, records: [] });
          expect(row.record_count).toBe(want.records.length);
        } else {
          expect(row.record_count).toBeNull();
        }
        // key order too: the JSON text is the importer's
        expect(JSON.stringify(loadImportDoc(db, saved.fileId)), `${tool}/${name}`).toBe(JSON.stringify(want));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('a stored document does not grow with the number of runs', async () => {
    const r = rng(3);
    let text = '';
    for (let i = 0; i < 2000; i++) text += netperfRun(r, i);
    const bytes = Buffer.from(text);
    const s = importBytesRecords('many.log', bytes);
    const saved = saveImport(db, s, bytes);
    s.records.dispose();
    expect(saved.runCount).toBe(2000);
    expect(storedRow(saved.fileId).document.length).toBeLessThan(500);
    expect(loadImportDoc<{ records: unknown[] }>(db, saved.fileId)?.records).toEqual((await importBytes('many.log', bytes)).doc.records);
  });

  it('profiles keep their rows in the document', async () => {
    const name = readdirSync(join(realLogsDir(), 'oprofile')).find((f) => f.startsWith('xenoprof-rhel5-xen3.1-opreport-t1')) ?? '';
    const bytes = readFileSync(join(realLogsDir(), 'oprofile', name));
    const r = await importBytes(name, bytes);
    const saved = saveImport(db, r, bytes);
    expect(storedRow(saved.fileId).record_count).toBeNull();
    expect(loadImportDoc(db, saved.fileId)).toEqual(r.doc);
  });

  it('a document saved before migration 0003 (records inside) still loads, unchanged', async () => {
    db.close();
    const file = join(dir, 'v2.db');
    const old = new Database(file);
    migrate(old, loadMigrations().slice(0, 2));
    const name = 'netperf-2.7-lkp-sctp_stream_many-c-C-multi-instance-timestamped-cmds.txt';
    const bytes = readFileSync(join(realLogsDir(), 'netperf', name));
    const doc = (await importBytes(name, bytes)).doc;
    old
      .prepare(`INSERT INTO imported_file(sha256, file_name, size_bytes, bytes, tool, format, parser_version, warnings, document, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?)`)
      .run('a'.repeat(64), name, bytes.length, bytes, doc.tool, doc.format, 'old', '[]', JSON.stringify(doc), 'x');
    old.close();
    db = openStore(file);
    expect(storedRow(1).record_count).toBeNull();
    expect(loadImportDoc(db, 1)).toEqual(doc);
    // and an Import cell gets its first records from the document itself
    expect(importedFileView(db, 1, 10)?.document).toEqual({ ...doc, records: doc.records.slice(0, 10), records_total: doc.records.length });
  });

  it('runs missing under a document that relies on them: a clear error, not a short table', async () => {
    const name = 'netperf-2.7-lkp-sctp_stream_many-c-C-multi-instance-timestamped-cmds.txt';
    const bytes = readFileSync(join(realLogsDir(), 'netperf', name));
    const saved = saveImport(db, await importBytes(name, bytes), bytes);
    db.prepare('UPDATE imported_file SET record_count = record_count + 1 WHERE id = ?').run(saved.fileId);
    expect(() => loadImportDoc(db, saved.fileId)).toThrow(ImportedFileDamagedError);
    expect(() => loadImportDoc(db, saved.fileId)).toThrow(`imported file ${saved.fileId}: the database is damaged: it holds ${saved.runCount} of the ${saved.runCount + 1} runs that carry this log's records`);
    expect(loadImportDoc(db, 999)).toBeUndefined();
  });
});
