import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../cli-types.js';
import { openStore, type Db } from '../store/db.js';
import { SaveCancelledError, saveImport } from '../store/imports.js';
import { importCommand } from './commands.js';
import { netperfRun, rng } from './generate.js';
import { importBytesRecords } from './import.js';
import { realLogsDir } from './real-logs-dir.js';
import { saveImportCancellable } from './save-cancellable.js';

const dir = mkdtempSync(join(tmpdir(), 'rxlab-save-cancel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A generated netperf log of `n` runs. */
function netperfLog(n: number, seed = 3): Buffer {
  const r = rng(seed);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(netperfRun(r, i));
  return Buffer.from(parts.join(''));
}

let dbs = 0;
const freshDb = (): Db => openStore(join(dir, `s${++dbs}.db`));

/** Everything stored of the imports, minus ids and clocks. */
function contents(db: Db): unknown {
  return {
    files: db.prepare('SELECT sha256, file_name, size_bytes, bytes, tool, format, parser_version, warnings, document, record_count FROM imported_file ORDER BY id').all(),
    runs: db.prepare('SELECT kind, system, workload, label, parameters, seed, app_version, model_version, input_sha256, detail FROM run ORDER BY id').all(),
    results: db.prepare('SELECT r.label, x.metric, x.value, x.unit FROM result x JOIN run r ON r.id = x.run_id ORDER BY x.run_id, x.metric').all(),
  };
}

const counts = (db: Db): number[] => [db.prepare('SELECT COUNT(*) FROM imported_file').pluck().get() as number, db.prepare('SELECT COUNT(*) FROM run').pluck().get() as number];

describe('the CLI save, cancellable (rxlab import)', () => {
  it('stores exactly what saveImport stores: a streamed netperf log, and a profile', async () => {
    const files: Array<[string, Uint8Array]> = [
      ['gen.netperf.txt', netperfLog(1300)],
      ['perf.txt', readFileSync(join(realLogsDir(), 'perf', 'perf-4.6-report-stdio-header-children-self-folded-callchains-lkp.txt'))],
    ];
    for (const [name, bytes] of files) {
      const r = importBytesRecords(name, bytes);
      try {
        const a = freshDb();
        const b = freshDb();
        const want = saveImport(a, r, bytes);
        const got = await saveImportCancellable(b, r, bytes, new AbortController().signal);
        expect(got.runCount, name).toBe(want.runCount);
        expect(got.runIds, name).toEqual(want.runIds);
        // as text: a deep toEqual of ~15,000 rows takes seconds
        expect(JSON.stringify(contents(b)), name).toBe(JSON.stringify(contents(a)));
        // the same bytes again: recognised, nothing added
        const again = await saveImportCancellable(b, r, bytes, new AbortController().signal);
        expect(again).toMatchObject({ duplicate: true, fileId: got.fileId, runCount: got.runCount });
        a.close();
        b.close();
      } finally {
        r.records.dispose();
      }
    }
  });

  // saveImport runs to its end once started: Ctrl+C in the saving phase was not seen until it
  // returned (15 s for 248,508 runs), and the file was saved.
  it('a cancel in the middle of the runs rolls the whole file back', async () => {
    const bytes = netperfLog(5000);
    const r = importBytesRecords('big.txt', bytes);
    const db = freshDb();
    try {
      const ctl = new AbortController();
      const seen: number[] = [];
      const save = saveImportCancellable(db, r, bytes, ctl.signal, (done) => {
        seen.push(done);
        if (done >= 2048) ctl.abort();
      });
      await expect(save).rejects.toThrow(SaveCancelledError);
      expect(Math.max(...seen)).toBeLessThan(5000);
      expect(db.inTransaction).toBe(false);
      expect(counts(db)).toEqual([0, 0]);
      // the store is left usable: the same file saves afterwards
      const s = await saveImportCancellable(db, r, bytes, new AbortController().signal);
      expect(s.runCount).toBe(5000);
      expect(counts(db)).toEqual([1, 5000]);
    } finally {
      r.records.dispose();
      db.close();
    }
  });

  it('rxlab import: Ctrl+C while saving exits 130, says so, and stores nothing', async () => {
    const file = join(dir, 'ctrlc.netperf.txt');
    writeFileSync(file, netperfLog(20_000, 5));
    const dbPath = join(dir, 'ctrlc.db');
    const ctl = new AbortController();
    const outs: string[] = [];
    const errs: string[] = [];
    const io: CliIO = {
      // the summary line is printed once the file is parsed, just before it is saved: Ctrl+C then
      out: (t) => {
        outs.push(t);
        if (/ runs, \d+ warnings/.test(t)) setTimeout(() => ctl.abort(), 5);
      },
      err: (t) => errs.push(t),
      dbPath,
      signal: ctl.signal,
    };
    expect(await importCommand.run([file], io)).toBe(130);
    expect(errs).toContain(`${file}: cancelled (Ctrl+C); nothing saved\n`);
    expect(outs.join('')).not.toMatch(/saved as file/);
    const db = openStore(dbPath);
    try {
      expect(counts(db)).toEqual([0, 0]);
    } finally {
      db.close();
    }
  }, 60_000);
});
