import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { netperfRun, rng } from '../logs/generate.js';
import { importBytesRecords } from '../logs/import.js';
import type { Db } from '../store/db.js';
import { SaveCancelledError, saveImport } from '../store/imports.js';
import { cancelRequested, claimCommit, newCommitGate, requestCancel } from './commit-gate.js';
import { runImportTask } from './import-task.js';
import { useTempDb } from '../store/temp-db.js';

describe('the commit gate: exactly one of cancel and commit wins', () => {
  it('a cancel before the commit is claimed wins; the commit is then refused', () => {
    const g = newCommitGate();
    expect(cancelRequested(g)).toBe(false);
    expect(requestCancel(g)).toBe(true);
    expect(cancelRequested(g)).toBe(true);
    expect(claimCommit(g)).toBe(false);
    expect(requestCancel(g)).toBe(true); // a second click changes nothing
  });
  it('a cancel after the commit was claimed is too late', () => {
    const g = newCommitGate();
    expect(claimCommit(g)).toBe(true);
    expect(requestCancel(g)).toBe(false);
    expect(cancelRequested(g)).toBe(false);
  });
  it('no gate: nothing can cancel, the commit goes ahead', () => {
    expect(cancelRequested(undefined)).toBe(false);
    expect(claimCommit(undefined)).toBe(true);
  });
});

describe('saveImport through a gate', () => {
  let dir: string;
  let db: Db;
  useTempDb('rxlab-gate-', (d, x) => {
    dir = d;
    db = x;
  });
  const log = (runs: number, seed: number): Buffer => {
    const r = rng(seed);
    let t = '';
    for (let i = 0; i < runs; i++) t += netperfRun(r, i);
    return Buffer.from(t);
  };
  const stored = (): { files: number; runs: number } => ({
    files: db.prepare('SELECT count(*) FROM imported_file').pluck().get() as number,
    runs: db.prepare('SELECT count(*) FROM run').pluck().get() as number,
  });

  it('a cancel seen in the row loop rolls back every row already written', () => {
    const bytes = log(1000, 1);
    const s = importBytesRecords('a.log', bytes);
    let asked = 0;
    const onSaved = (done: number): void => void (done === 600 && (asked = done));
    expect(() => saveImport(db, s, bytes, onSaved, { cancelled: () => asked > 0, mayCommit: () => true })).toThrow(SaveCancelledError);
    s.records.dispose();
    expect(stored()).toEqual({ files: 0, runs: 0 });
  });
  it('a refused commit rolls back the whole import; an allowed one keeps it all', () => {
    const bytes = log(300, 2);
    const s = importBytesRecords('b.log', bytes);
    expect(() => saveImport(db, s, bytes, undefined, { cancelled: () => false, mayCommit: () => false })).toThrow(/b\.log: import cancelled; nothing of it was saved/);
    expect(stored()).toEqual({ files: 0, runs: 0 });
    const saved = saveImport(db, s, bytes, undefined, { cancelled: () => false, mayCommit: () => true });
    s.records.dispose();
    expect(saved.runIds).toHaveLength(300);
    expect(stored()).toEqual({ files: 1, runs: 300 });
  });
  it('the import task answers "cancelled" for a cancelled gate and stores nothing; the next import saves', () => {
    const dbPath = join(dir, 'x.db');
    const gate = newCommitGate();
    requestCancel(gate);
    expect(runImportTask({ dbPath, name: 'c.log', bytes: log(50, 3), uiRecords: 5, gate })).toEqual({ ok: false, cancelled: true });
    expect(stored()).toEqual({ files: 0, runs: 0 });
    const res = runImportTask({ dbPath, name: 'c.log', bytes: log(50, 3), uiRecords: 5, gate: newCommitGate() });
    expect(res.ok).toBe(true);
    expect(stored()).toEqual({ files: 1, runs: 50 });
  });
});
