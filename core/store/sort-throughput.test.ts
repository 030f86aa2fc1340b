import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toMbps } from '../contract/units.js';
import type { Db } from './db.js';
import { useTempDb } from './temp-db.js';

/**
 * run.sort_throughput_mbps (migrations/0006) is toMbps written out in SQL, so that an index can hold it:
 * these hold the two to the same numbers, bit for bit, for every unit toMbps knows and for near misses.
 */
describe('run.sort_throughput_mbps: the throughput the stored-runs browser sorts by', () => {
  let db: Db;
  useTempDb('rxlab-sort-tput-', (_dir, d) => {
    db = d;
  });
  const sortKey = (kind: 'simulated' | 'measured', workload: string | null, detail: unknown): unknown => {
    const id = db
      .prepare("INSERT INTO run(kind, workload, app_version, detail, created_at) VALUES (?, ?, 'test', ?, 'now')")
      .run(kind, workload, detail === null ? null : JSON.stringify(detail)).lastInsertRowid;
    return db.prepare('SELECT sort_throughput_mbps FROM run WHERE id = ?').pluck().get(id);
  };
  const measured = (throughput: unknown, units: unknown): unknown => sortKey('measured', 'TCP_STREAM', { throughput, throughput_units: units });
  /** The SQL's value and toMbps's, null when it knows no such unit; the same double (0 and -0 alike). */
  const same = (value: number, units: string): void => {
    const sql = measured(value, units);
    const js = toMbps(value, units);
    expect(sql === js || (sql === null && js === null), `${value} ${JSON.stringify(units)}: SQL ${String(sql)}, toMbps ${String(js)}`).toBe(true);
  };

  it('a run whose detail is not JSON (a damaged or hand-edited file) has no sort key and breaks neither the index nor the sort', () => {
    db.pragma('ignore_check_constraints = 1');
    try {
      const bad = db.prepare("INSERT INTO run(kind, workload, app_version, detail, created_at) VALUES ('measured', 'TCP_STREAM', 'test', 'not json {', 'now')").run().lastInsertRowid;
      expect(db.prepare('SELECT sort_throughput_mbps FROM run WHERE id = ?').pluck().get(bad)).toBeNull();
      // the index is rebuilt from every row, as the migration builds it on an older file
      db.exec('REINDEX run_by_throughput');
      expect(db.prepare('SELECT count(*) FROM run INDEXED BY run_by_throughput WHERE sort_throughput_mbps IS NULL').pluck().get()).toBeGreaterThanOrEqual(1);
    } finally {
      db.pragma('ignore_check_constraints = 0');
    }
  });

  it('every unit toMbps knows, with netperf -f prefixes and 10^N, in Mbit/s as toMbps gives it', () => {
    const names: string[] = [];
    for (const p of ['', 'k', 'K', 'm', 'M', 'g', 'G', '10^0', '10^3', '10^6', '10^9', '10^1', '10^06', '10^22', '10^000'])
      for (const u of ['bits', 'Bytes']) for (const s of ['/s', '/sec']) names.push(`${p}${u}${s}`);
    for (const units of names) for (const v of [0, 1, 117.6, 135.65, 941.23, 3e9, 1 / 3, -5]) same(v, units);
    expect(measured(117.6, 'MBytes/s')).toBeCloseTo(986.5, 1); // netperf's M is 2^20 bytes
    expect(measured(900, '10^6bits/s')).toBe(900);
    expect(measured(5, 'Kbits/sec')).toBe(0.005);
  });

  it('white space around the units is trimmed as JavaScript trims it; anything else is no unit (null)', () => {
    for (const units of [' Mbits/s', 'Mbits/s\n', '\t10^6bits/s\r', '\u00a0MBytes/s\u3000', '\ufeffKbits/sec\u2028']) same(42.5, units);
    for (const units of ['', ' ', 'Mbit/s', 'mbps', 'MBYTES/s', 'Mbits/s/s', 'Mbits/secs', 'Kbits', '10^bits/s', '10^6Kbits/s', '10^6 bits/s', '10^-6bits/s', 'x10^6bits/s', '10^6bits/sx', 'KiB/s', 'furlongs/s', 'M bits/s', 'Mbits /s', '\u200bMbits/s']) {
      same(42.5, units);
      expect(measured(42.5, units), units).toBeNull();
    }
  });

  it('agrees with toMbps on units made of the grammar’s pieces, in any order', () => {
    const piece = fc.constantFrom('10^', '1', '0', '6', '22', 'k', 'K', 'M', 'm', 'G', 'g', 'bits', 'Bytes', 'bit', '/s', '/sec', 'ec', ' ', '\t', '\u00a0', 'x', '^', '/');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }), (pieces, value) => {
        const units = pieces.join('');
        // 10^N past 22 is not exact, and Math.pow and SQLite's reading of '1e23' may round it apart
        fc.pre(!/10\^0*([3-9]\d|2[3-9]|\d{3,})/.test(units));
        same(value, units);
      }),
      { numRuns: 400 },
    );
  });

  it('a simulated run sorts by its throughput_mbps, a TCP_RR one by nothing, a record without a number by nothing', () => {
    expect(sortKey('simulated', 'stream', { throughput_mbps: 941.5, throughput: 1, throughput_units: 'Kbits/s' })).toBe(941.5);
    expect(sortKey('simulated', 'rr', { throughput_mbps: 0.04 })).toBeNull();
    // throughput_mbps first, as the list reads the metrics; a null one gives way to throughput
    expect(sortKey('measured', 'TCP_STREAM', { throughput_mbps: 10, throughput: 20, throughput_units: 'Mbits/s' })).toBe(10);
    expect(sortKey('measured', 'TCP_STREAM', { throughput_mbps: null, throughput: 20, throughput_units: 'Mbits/s' })).toBe(20);
    expect(measured('135.65', '10^6bits/s')).toBeNull(); // text is no metric (flattenMetrics keeps numbers only)
    expect(measured(135.65, 6)).toBeNull();
    expect(measured(135.65, null)).toBeNull();
    expect(sortKey('measured', 'TCP_RR', { transactions_per_s: 5000 })).toBeNull();
    expect(sortKey('measured', null, null)).toBeNull();
    expect(sortKey('measured', null, [1, 2])).toBeNull();
  });
});
