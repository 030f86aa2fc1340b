import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemas } from '../contract/index.js';
import { openStore, type Db } from './db.js';
import { compactIds } from '../contract/ids.js';
import { queryRuns } from './run-query.js';
import { insertRun } from './runs.js';

const q = (over: Record<string, unknown> = {}) => schemas['runs.query'].parse(over);

/**
 * A simulated run as the sweep engine stores it: the result document as its detail, its numbers
 * flattened into metrics (the throughput sort reads the document: migrations/0006).
 */
function simulated(db: Db, r: { system: string; workload: string; label?: string; seed: number; modelVersion: string; metrics: Record<string, number | null> }): number {
  const detail: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r.metrics)) {
    const [head, sub] = k.split('.') as [string, string | undefined];
    if (sub === undefined) detail[head] = v;
    else detail[head] = { ...(detail[head] as object | undefined), [sub]: v };
  }
  return insertRun(db, { kind: 'simulated', ...r, detail });
}

describe('queryRuns (the stored-runs browser)', () => {
  let dir: string;
  let db: Db;
  let fileId: number;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxlab-rq-'));
    db = openStore(join(dir, 'rxlab.db'));
    fileId = Number(
      db
        .prepare(
          `INSERT INTO imported_file(sha256, file_name, size_bytes, bytes, tool, format, parser_version, document, imported_at)
           VALUES (?, 'lab_50%_run.txt', 3, x'616263', 'netperf', 'netperf', '1', '{"records":[]}', '2026-11-26T00:00:00Z')`,
        )
        .run('a'.repeat(64)).lastInsertRowid,
    );
    db.transaction(() => {
      // 12 simulated runs: systems in turn, throughput rising with the id, DA without a cycles metric
      const systems = ['Linux', 'Xen', 'LRO', 'BO', 'DA'];
      for (let i = 0; i < 12; i++) {
        const system = systems[i % 5] as string;
        simulated(db, {
          system,
          workload: i === 11 ? 'rr' : 'stream',
          label: `${system} seed ${i}`,
          seed: i,
          modelVersion: i < 10 ? 'rxsim-new' : 'rxsim-old',
          // a TCP_RR run also has (meaningless) stream figures: a few bytes a transaction
          metrics: i === 11 ? { rr_transactions_per_s: 5000, throughput_mbps: 0.04, 'cycles_per_byte.total': 55000 } : { throughput_mbps: 500 + i, ...(system === 'DA' ? {} : { 'cycles_per_byte.total': 30 - i }), lro_rate: system === 'Xen' ? null : 2 },
        });
      }
      for (let i = 0; i < 3; i++) {
        insertRun(db, {
          kind: 'measured',
          workload: 'TCP_STREAM',
          label: `lab_50%_run.txt #${i + 1}`,
          importedFileId: fileId,
          detail: { throughput: 900 + i, throughput_units: '10^6bits/s' },
          metrics: { throughput: 900 + i, elapsed_s: 10 },
        });
      }
    })();
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pages newest first by default and counts every match', () => {
    const p = queryRuns(db, q({ limit: 5 }));
    expect(p.total).toBe(15);
    expect(p.rows.map((r) => r.id)).toEqual([15, 14, 13, 12, 11]);
    expect(queryRuns(db, q({ limit: 5, offset: 10 })).rows.map((r) => r.id)).toEqual([5, 4, 3, 2, 1]);
    expect(queryRuns(db, q({ limit: 5, offset: 15 })).rows).toEqual([]);
    expect(p.facets).toBeNull();
  });

  it('filters and facet counts read an index, not the run table with its detail JSON (migration 0005)', () => {
    const plan = (sql: string, ...args: unknown[]): string => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan('SELECT count(*) FROM run WHERE run.kind = ?', 'simulated')).toMatch(/COVERING INDEX run_by_kind/);
    expect(plan('SELECT count(*) FROM run WHERE run.system = ?', 'LRO')).toMatch(/COVERING INDEX run_by_(kind|system)/);
    expect(plan('SELECT kind, system, workload, model_version, count(*) FROM run GROUP BY kind, system, workload, model_version')).toMatch(/COVERING INDEX run_by_kind/);
  });

  it('filters by kind, system (null = none), workload, model version and log', () => {
    expect(queryRuns(db, q({ kind: 'measured' })).total).toBe(3);
    expect(queryRuns(db, q({ system: 'DA' })).rows.map((r) => r.id)).toEqual([10, 5]);
    expect(queryRuns(db, q({ system: null })).total).toBe(3);
    expect(queryRuns(db, q({ workload: 'rr' })).rows.map((r) => r.id)).toEqual([12]);
    expect(queryRuns(db, q({ modelVersion: 'rxsim-old' })).rows.map((r) => r.id)).toEqual([12, 11]);
    expect(queryRuns(db, q({ importedFileId: fileId, kind: 'simulated' })).total).toBe(0);
  });

  it('searches labels and file names literally, and finds a run by id', () => {
    expect(queryRuns(db, q({ text: 'seed 1' })).rows.map((r) => r.id)).toEqual([12, 11, 2]);
    // "%" and "_" are characters here, not wildcards
    expect(queryRuns(db, q({ text: '50%_' })).total).toBe(3);
    expect(queryRuns(db, q({ text: '5%' })).total).toBe(0);
    expect(queryRuns(db, q({ text: '#7' })).rows.map((r) => r.id)).toEqual([7]);
  });

  it('sorts by a metric under either name, missing values last in both directions', () => {
    const asc = queryRuns(db, q({ sort: 'throughput', order: 'asc' })).rows.map((r) => r.id);
    expect(asc).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 12]);
    const desc = queryRuns(db, q({ sort: 'throughput', order: 'desc' })).rows.map((r) => r.id);
    expect(desc).toEqual([15, 14, 13, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 12]);
    const cpb = queryRuns(db, q({ sort: 'cycles_per_byte', order: 'asc', limit: 3 })).rows.map((r) => r.id);
    expect(cpb).toEqual([11, 9, 8]); // 30 - i, DA (5, 10) has none
    expect(queryRuns(db, q({ sort: 'rr' })).rows[0]?.id).toBe(12);
    // a simulated TCP_RR run shows and sorts no stream figures (its few bytes make them meaningless)
    const rr = queryRuns(db, q({ workload: 'rr' })).rows[0];
    expect(rr?.metrics).toEqual({ rr_transactions_per_s: { value: 5000, unit: null } });
  });

  it('carries the list metrics with a measured record\'s units, and facets over the whole store', () => {
    const p = queryRuns(db, q({ kind: 'measured', limit: 1, facets: true }));
    const row = p.rows[0];
    expect(row).toMatchObject({ id: 15, kind: 'measured', fileName: 'lab_50%_run.txt', importedFileId: fileId, seed: null });
    expect(row?.metrics).toEqual({ throughput: { value: 902, unit: '10^6bits/s' } }); // elapsed_s is not a list metric
    expect(queryRuns(db, q({ limit: 1 })).rows[0]?.fileName).toBe('lab_50%_run.txt');
    expect(queryRuns(db, q({ system: 'Xen', workload: 'stream', limit: 1 })).rows[0]?.metrics).toEqual({
      throughput_mbps: { value: 506, unit: null },
      'cycles_per_byte.total': { value: 24, unit: null },
      lro_rate: { value: null, unit: null },
    });
    expect(p.facets?.kinds).toEqual([{ value: 'simulated', count: 12 }, { value: 'measured', count: 3 }]);
    // most runs first; ties by name, "no system" last
    expect(p.facets?.systems.map((f) => `${f.value}:${f.count}`)).toEqual(['Linux:3', 'Xen:3', 'null:3', 'BO:2', 'DA:2', 'LRO:2']);
    expect(p.facets?.modelVersions).toEqual([{ value: 'rxsim-new', count: 10 }, { value: 'rxsim-old', count: 2 }]);
  });

  it('sorts measured throughput in Mbit/s whatever unit its log printed (MBytes/s among Mbit/s)', () => {
    const d = openStore(join(dir, 'units.sqlite'));
    try {
      const rec = (throughput: number, units: string) => insertRun(d, { kind: 'measured', workload: 'TCP_STREAM', label: `${throughput} ${units}`, detail: { throughput, throughput_units: units }, metrics: { throughput } });
      const a = rec(900, '10^6bits/s'); // 900 Mbit/s
      const b = rec(117.6, 'MBytes/s'); // 986.5 Mbit/s (netperf's M is 2^20): ranked by its raw 117.6 it came first
      const c = rec(500, 'Mbits/sec'); // 500 Mbit/s
      const e = rec(1, 'furlongs/s'); // a unit nobody can convert sorts with the missing values
      const sim = simulated(d, { system: 'Xen', workload: 'stream', seed: 1, modelVersion: 'm', metrics: { throughput_mbps: 700 } });
      const asc = queryRuns(d, q({ sort: 'throughput', order: 'asc' })).rows.map((r) => r.id);
      expect(asc).toEqual([c, sim, a, b, e]);
      const desc = queryRuns(d, q({ sort: 'throughput', order: 'desc' })).rows.map((r) => r.id);
      expect(desc).toEqual([b, a, sim, c, e]);
    } finally {
      d.close();
    }
  });

  it('a page sorted by throughput is read along run_by_throughput, filtered or not, with no sort (migration 0006)', () => {
    // the page query exactly as queryRuns prepares it, with its arguments
    const planOf = (over: Record<string, unknown>): string => {
      const seen: string[] = [];
      const prepare = db.prepare.bind(db);
      db.prepare = ((sql: string) => (seen.push(sql), prepare(sql))) as typeof db.prepare;
      try {
        queryRuns(db, q({ sort: 'throughput', ...over }));
      } finally {
        db.prepare = prepare;
      }
      const page = seen.find((sql) => sql.includes('ORDER BY')) ?? '';
      // the plan does not depend on the values bound (no sqlite_stat4)
      const rows = db.prepare(`EXPLAIN QUERY PLAN ${page}`).all(...Array.from(page.matchAll(/\?/g), () => 1)) as { detail: string }[];
      return rows.map((r) => r.detail).join('; ');
    };
    const filters: Record<string, unknown>[] = [
      {},
      { order: 'asc' },
      { kind: 'measured' },
      { system: 'Xen' },
      { system: null },
      { workload: 'stream' },
      { modelVersion: 'rxsim-new' },
      { importedFileId: fileId },
      { kind: 'simulated', system: 'Xen', workload: 'stream', modelVersion: 'rxsim-new' },
    ];
    for (const f of filters) {
      const plan = planOf(f);
      expect(plan, JSON.stringify(f)).toMatch(/^SCAN run USING (COVERING )?INDEX run_by_throughput;/);
      expect(plan, JSON.stringify(f)).not.toMatch(/TEMP B-TREE/);
    }
    // a text search reads every label anyway: it scans and sorts the few matches
    expect(planOf({ text: 'seed' })).toMatch(/TEMP B-TREE FOR ORDER BY/);
    // and the order is the sort's, filtered: Xen is runs 2, 7 and 12 (TCP_RR: no throughput, last)
    expect(queryRuns(db, q({ sort: 'throughput', system: 'Xen' })).rows.map((r) => r.id)).toEqual([7, 2, 12]);
    expect(queryRuns(db, q({ sort: 'throughput', order: 'asc', system: 'Xen' })).rows.map((r) => r.id)).toEqual([2, 7, 12]);
    expect(queryRuns(db, q({ sort: 'throughput', importedFileId: fileId, limit: 2 })).rows.map((r) => r.id)).toEqual([15, 14]);
    expect(queryRuns(db, q({ sort: 'throughput', text: 'seed 1' })).rows.map((r) => r.id)).toEqual([11, 2, 12]);
  });

  it('refuses a bad request before SQL sees it', () => {
    expect(() => q({ sort: 'id; DROP TABLE run' })).toThrow();
    expect(() => q({ limit: 0 })).toThrow();
    expect(() => q({ limit: 5000 })).toThrow();
    expect(() => q({ offset: -1 })).toThrow();
  });

  it('compacts ids as the Compare cell reads them', () => {
    expect(compactIds([25, 20, 21, 22, 12, 23, 24, 12, 30, 31])).toBe('12, 20-25, 30-31');
    expect(compactIds([])).toBe('');
  });
});
