/**
 * The stored-runs browser's query (runs.query, `rxlab runs`): one page of runs, filtered, sorted and
 * counted in SQL. A store can hold 450,000 runs (one 256 MiB netperf import), so nothing here reads
 * more than one page of rows into JavaScript; the service runs it in the store worker because a
 * count or a sort over such a store takes a noticeable fraction of a second.
 */
import type { Parsed, RunFacet, RunListRow, RunQueryPage } from '../contract/index.js';
import type { Db } from './db.js';

export type RunQuery = Parsed<'runs.query'>;

/** The metrics a list row carries: the simulator's names, then a measured record's. */
export const RUN_LIST_METRICS = ['throughput_mbps', 'throughput', 'cycles_per_byte.total', 'lro_rate', 'rr_transactions_per_s', 'transactions_per_s'] as const;

/** List metrics that mean nothing for a simulated TCP_RR run (see `stream`). */
const STREAM_ONLY = ['throughput_mbps', 'cycles_per_byte.total', 'lro_rate'] as const;

/** A correlated lookup through result's primary key (run_id, metric): one index probe per run. */
const metric = (name: string): string => `(SELECT value FROM result WHERE run_id = run.id AND metric = '${name}')`;

/**
 * A stream figure of a simulated TCP_RR run (a few bytes a transaction: 0.04 Mbit/s, 55,000 cycles per
 * byte) says nothing; such runs sort with the runs that lack the value, and the list shows none.
 */
const stream = (sql: string): string => `CASE WHEN run.kind = 'simulated' AND run.workload = 'rr' THEN NULL ELSE ${sql} END`;

/** Sort column → SQL. A simulated run and a measured record name the same quantity differently. */
const SORT_SQL: Record<RunQuery['sort'], string> = {
  id: 'run.id',
  system: 'run.system',
  workload: 'run.workload',
  seed: 'run.seed',
  // A column of the run, indexed (migrations/0006): a measured record in Mbit/s, so MBytes/s logs sort
  // among Mbit/s ones, and NULL for a simulated TCP_RR run, as `stream` gives. Computed here per run from
  // result and the detail JSON, the sort read every run: 1.1–1.3 s at 360,000 runs, on every page.
  throughput: 'run.sort_throughput_mbps',
  cycles_per_byte: stream(metric('cycles_per_byte.total')),
  lro_rate: stream(metric('lro_rate')),
  rr: `COALESCE(${metric('rr_transactions_per_s')}, ${metric('transactions_per_s')})`,
};

/** LIKE with the user's text taken literally (% and _ are data, not wildcards). */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function whereClause(q: RunQuery): { sql: string; args: (string | number)[]; needsFile: boolean } {
  const parts: string[] = [];
  const args: (string | number)[] = [];
  let needsFile = false;
  if (q.kind) {
    parts.push('run.kind = ?');
    args.push(q.kind);
  }
  if (q.system === null) parts.push('run.system IS NULL');
  else if (q.system !== undefined) {
    parts.push('run.system = ?');
    args.push(q.system);
  }
  if (q.workload !== undefined) {
    parts.push('run.workload = ?');
    args.push(q.workload);
  }
  if (q.modelVersion !== undefined) {
    parts.push('run.model_version = ?');
    args.push(q.modelVersion);
  }
  if (q.importedFileId !== undefined) {
    parts.push('run.imported_file_id = ?');
    args.push(q.importedFileId);
  }
  const text = q.text?.trim();
  if (text) {
    needsFile = true;
    const like = likePattern(text);
    const asId = /^#?\d+$/.test(text) ? Number(text.replace('#', '')) : -1;
    parts.push(`(run.id = ? OR run.label LIKE ? ESCAPE '\\' OR f.file_name LIKE ? ESCAPE '\\')`);
    args.push(asId, like, like);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', args, needsFile };
}

function facets(db: Db): NonNullable<RunQueryPage['facets']> {
  // One pass over the run table; the few distinct combinations are folded per column here.
  const rows = db
    .prepare('SELECT kind, system, workload, model_version AS model, count(*) AS n FROM run GROUP BY kind, system, workload, model_version')
    .all() as { kind: string; system: string | null; workload: string | null; model: string | null; n: number }[];
  const fold = (pick: (r: (typeof rows)[number]) => string | null): RunFacet[] => {
    const m = new Map<string | null, number>();
    for (const r of rows) m.set(pick(r), (m.get(pick(r)) ?? 0) + r.n);
    return [...m].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value === null ? 1 : b.value === null ? -1 : a.value.localeCompare(b.value)));
  };
  return { kinds: fold((r) => r.kind), systems: fold((r) => r.system), workloads: fold((r) => r.workload), modelVersions: fold((r) => r.model).filter((f) => f.value !== null) };
}

/**
 * How the page query reads the runs for a sort. By throughput: along run_by_throughput (migrations/0006),
 * which holds the filter columns too, so a page is the index's next matching entries. Left to itself,
 * SQLite took a filter's own index (kind, a log's runs) and then sorted every match, computing the key
 * from each run's detail JSON: 1.5 s for kind = measured at 360,000 runs (now 12–21 ms). A text search is the
 * exception: it reads each run's label, so walking the index reads the whole table in index order when
 * the text is rare (1.1–2.5 s for '#27000'); there the runs are scanned and the few matches sorted
 * (the unary + keeps SQLite off the index for the order).
 */
function sortPlan(sort: RunQuery['sort'], text: boolean): { from: string; key: string } {
  if (sort !== 'throughput') return { from: 'run', key: SORT_SQL[sort] };
  return text ? { from: 'run', key: `+${SORT_SQL.throughput}` } : { from: 'run INDEXED BY run_by_throughput', key: SORT_SQL.throughput };
}

/** A page row as SQLite returns it: the list row's columns (aliased in SQL) and the measured unit. */
type PageRow = Omit<RunListRow, 'metrics'> & { tputUnits: string | null };

export function queryRuns(db: Db, q: RunQuery): RunQueryPage {
  const t0 = performance.now();
  const where = whereClause(q);
  const join = where.needsFile ? 'LEFT JOIN imported_file f ON f.id = run.imported_file_id' : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM run ${join} ${where.sql}`).get(...where.args) as { n: number }).n;
  const dir = q.order === 'asc' ? 'ASC' : 'DESC';
  const { from, key } = sortPlan(q.sort, where.needsFile);
  const order = q.sort === 'id' ? `run.id ${dir}` : `${key} ${dir} NULLS LAST, run.id ${dir}`;
  // file_name precedes the raw bytes in imported_file, so the join never reads a log's BLOB. Past the
  // count there is nothing to read: a filter that matches no run walked all of run_by_throughput
  // (20–70 ms at 360,000 runs) to find that out.
  const rows = q.offset >= total ? [] : db
    .prepare(
      `SELECT run.id, run.kind, run.system, run.workload, run.label, run.seed, run.model_version AS modelVersion,
              run.created_at AS createdAt, run.imported_file_id AS importedFileId, f.file_name AS fileName,
              CASE WHEN run.kind = 'measured' THEN json_extract(run.detail, '$.throughput_units') END AS tputUnits
         FROM ${from} LEFT JOIN imported_file f ON f.id = run.imported_file_id
         ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`,
    )
    .all(...where.args, q.limit, q.offset) as PageRow[];
  const metrics = new Map<number, Record<string, { value: number | null; unit: string | null }>>();
  for (const r of rows) metrics.set(r.id, {});
  if (rows.length) {
    const found = db
      .prepare(
        `SELECT run_id, metric, value, unit FROM result
          WHERE run_id IN (SELECT value FROM json_each(?)) AND metric IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(rows.map((r) => r.id)), JSON.stringify(RUN_LIST_METRICS)) as { run_id: number; metric: string; value: number | null; unit: string | null }[];
    for (const m of found) {
      const at = metrics.get(m.run_id);
      if (at) at[m.metric] = { value: m.value, unit: m.unit };
    }
  }
  const out: RunListRow[] = rows.map(({ tputUnits, ...r }) => {
    const m = metrics.get(r.id) ?? {};
    if (r.kind === 'simulated' && r.workload === 'rr') for (const k of STREAM_ONLY) delete m[k];
    const tput = m['throughput'];
    if (tput && tput.unit === null && tputUnits) m['throughput'] = { value: tput.value, unit: tputUnits };
    return { ...r, metrics: m };
  });
  return { total, offset: q.offset, limit: q.limit, rows: out, facets: q.facets ? facets(db) : null, ms: Math.round(performance.now() - t0) };
}
