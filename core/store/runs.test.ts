import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredRun } from '../contract/index.js';
import { openStore, type Db } from './db.js';
import { getRuns, insertRun, listRuns, type RunRow, flattenMetrics } from './runs.js';

/** The loaders as they were before the batch query (one metrics query per run): the reference. */
function hydrateOneByOne(db: Db, rows: RunRow[]): StoredRun[] {
  const metricStmt = db.prepare('SELECT metric, value FROM result WHERE run_id = ?');
  return rows.map((r) => {
    const metrics: Record<string, number | null> = {};
    for (const m of metricStmt.all(r.id) as { metric: string; value: number | null }[]) metrics[m.metric] = m.value;
    return {
      id: r.id,
      kind: r.kind,
      system: r.system,
      workload: r.workload,
      label: r.label,
      importedFileId: r.imported_file_id,
      metrics,
      detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
      provenance: {
        appVersion: r.app_version,
        modelVersion: r.model_version,
        parameters: JSON.parse(r.parameters) as Record<string, unknown>,
        seed: r.seed,
        inputSha256: r.input_sha256,
        createdAt: r.created_at,
      },
    };
  });
}
function oldGetRuns(db: Db, ids: number[]): StoredRun[] {
  const stmt = db.prepare('SELECT * FROM run WHERE id = ?');
  return hydrateOneByOne(db, ids.map((id) => stmt.get(id) as RunRow | undefined).filter((r): r is RunRow => r !== undefined));
}
function oldListRuns(db: Db, kind: 'simulated' | 'measured' | undefined, limit: number): StoredRun[] {
  const rows = (kind
    ? db.prepare('SELECT * FROM run WHERE kind = ? ORDER BY id DESC LIMIT ?').all(kind, limit)
    : db.prepare('SELECT * FROM run ORDER BY id DESC LIMIT ?').all(limit)) as RunRow[];
  return hydrateOneByOne(db, rows);
}

/** Counts statement executions (get/all/iterate/run) while `fn` runs. */
function countQueries<T>(db: Db, fn: () => T): { value: T; queries: number } {
  let queries = 0;
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const stmt = prepare(sql);
    for (const k of ['get', 'all', 'iterate', 'run'] as const) {
      const orig = stmt[k].bind(stmt) as (...a: unknown[]) => unknown;
      (stmt as unknown as Record<string, unknown>)[k] = (...a: unknown[]) => {
        queries++;
        return orig(...a);
      };
    }
    return stmt;
  }) as Db['prepare'];
  try {
    return { value: fn(), queries };
  } finally {
    db.prepare = prepare;
  }
}

let dir: string;
let db: Db;
let ids: number[];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rxlab-runs-'));
  db = openStore(join(dir, 'db.sqlite'));
  ids = [];
  // 200 runs of both kinds with varied metric sets: none, nulls, names that sort differently
  // from insertion order, dotted names, and a run that shares no metric with its neighbours.
  db.transaction(() => {
    for (let i = 0; i < 200; i++) {
      const metrics: Record<string, number | null> = {};
      if (i % 7 !== 0) {
        metrics['throughput_mbps'] = 500 + i * 1.25;
        metrics['cycles_per_byte.total'] = i % 5 === 0 ? null : 20 + i / 3;
        if (i % 2) metrics['a_first'] = -i;
        if (i % 3) metrics['flush_latency_us.p99'] = i * 1e-3;
      }
      if (i === 42) for (let k = 0; k < 60; k++) metrics[`m${String(59 - k).padStart(2, '0')}`] = k;
      ids.push(
        insertRun(db, {
          kind: i % 4 === 0 ? 'measured' : 'simulated',
          system: ['Linux', 'Xen', 'LRO', 'BO', 'DA'][i % 5] ?? null,
          workload: i % 2 ? 'rr' : 'stream',
          label: i % 9 === 0 ? `run "${i}", labelled` : null,
          parameters: { seed: i, z: 1, a: [i, 'x'] },
          seed: i % 4 === 0 ? null : i,
          modelVersion: i % 4 === 0 ? null : 'm1',
          inputSha256: i % 4 === 0 ? 'ab'.repeat(32) : null,
          cacheKey: i % 4 === 0 ? null : `key-${i}`,
          detail: i % 6 === 0 ? undefined : { i, nested: { v: i / 7 } },
          metrics,
        }),
      );
    }
  })();
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('run loading (one metrics query for the whole list)', () => {
  it('runs.get of 200 runs returns exactly what the per-run loader returned, key order included', () => {
    // asked out of order, with repeats and ids that do not exist
    const ask = [...ids].reverse().concat([ids[3] as number, 999_999, ids[0] as number, -1]);
    const { value: now, queries } = countQueries(db, () => getRuns(db, ask));
    const before = oldGetRuns(db, ask);
    expect(now).toHaveLength(202);
    expect(now).toEqual(before);
    expect(JSON.stringify(now)).toBe(JSON.stringify(before));
    expect(queries).toBe(2);
    // a run asked for twice gives two independent objects
    expect(now[200]).not.toBe(now[196]);
    expect(now[200]?.metrics).not.toBe(now[196]?.metrics);
  });

  it('runs.list of 200 runs (all, and by kind) is unchanged', () => {
    for (const kind of [undefined, 'simulated', 'measured'] as const) {
      const { value: now, queries } = countQueries(db, () => listRuns(db, kind, 500));
      expect(JSON.stringify(now)).toBe(JSON.stringify(oldListRuns(db, kind, 500)));
      expect(queries).toBe(2);
    }
    expect(listRuns(db, undefined, 500)).toHaveLength(200);
    expect(JSON.stringify(listRuns(db, undefined, 17))).toBe(JSON.stringify(oldListRuns(db, undefined, 17)));
  });

  it('handles nothing to load and more ids than SQLite allows bound parameters', () => {
    expect(getRuns(db, [])).toEqual([]);
    const many = Array.from({ length: 40_000 }, (_, i) => (ids[i % ids.length] as number) + (i >= ids.length ? 1_000_000 : 0));
    expect(getRuns(db, many)).toEqual(oldGetRuns(db, ids));
  });
});

describe('insertRun stores every metric exactly', () => {
  it('doubles of every magnitude, integers, nulls and odd names come back bit for bit', () => {
    // Deterministic doubles: random bit patterns, printed decimals, tiny and huge magnitudes.
    let x = 0x2545f491;
    const next = (): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) / 2 ** 32;
    };
    const bits = new Float64Array(1);
    const words = new Uint32Array(bits.buffer);
    const metrics: Record<string, number | null> = { 'a.null': null, 'ünï "q"': 1, max: Number.MAX_VALUE, min: Number.MIN_VALUE, big_int: 2 ** 53 - 1 };
    for (let i = 0; i < 3000; i++) {
      const k = i % 3;
      if (k === 0) {
        words[0] = next() * 2 ** 32;
        words[1] = next() * 2 ** 32;
        metrics[`m${i}`] = Number.isFinite(bits[0]) ? (bits[0] as number) : i;
      } else if (k === 1) metrics[`m${i}`] = Number((next() * 1e5).toFixed(2));
      else metrics[`m${i}`] = next() * 10 ** Math.floor(next() * 600 - 300);
    }
    const id = db.transaction(() => insertRun(db, { kind: 'simulated', metrics }))();
    const back = getRuns(db, [id])[0]?.metrics ?? {};
    expect(Object.keys(back).length).toBe(Object.keys(metrics).length);
    for (const [k, v] of Object.entries(metrics)) expect(Object.is(back[k], v), `${k}: ${v} came back as ${back[k]}`).toBe(true);
  });
});

describe('what a simulated run stores as metrics', () => {
  it('its results, not its seed or simulated seconds (provenance: they were averaged into "seed 2 ± 6")', () => {
    const m = flattenMetrics({ seed: 3, simulated_s: 0.2, parameters: { mtu: 1500 }, throughput_mbps: 546.6, cycles_per_byte: { driver: 14.3, guest: null } });
    expect(m).toEqual({ throughput_mbps: 546.6, 'cycles_per_byte.driver': 14.3, 'cycles_per_byte.guest': null });
  });
});
