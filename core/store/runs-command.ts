import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { intFlag, UsageError } from '../cli-args.js';
import type { CommandSpec } from '../cli-types.js';
import { csvRows } from '../contract/csv.js';
import { compactIds, IdListError, parseIds } from '../contract/ids.js';
import { RUN_SORTS, schemas, type RunListRow } from '../contract/index.js';
import { defaultDbPath } from '../paths.js';
import { openStore } from './db.js';
import { SYSTEM_NAMES } from '../sim/types.js';
import { queryRuns, RUN_LIST_METRICS } from './run-query.js';
import { getRuns } from './runs.js';
import type { StoredRun } from '../contract/index.js';

const num = (v: number | null | undefined, digits: number): string => (v === null || v === undefined ? '–' : v.toFixed(digits));

/** The headline numbers of a row: a simulated run's names first, a measured record's after. */
function headline(r: RunListRow): { tput: string; cpb: string; lro: string; rr: string } {
  const m = r.metrics;
  const tput = m['throughput_mbps'] ? `${num(m['throughput_mbps'].value, 1)} Mbit/s` : m['throughput'] ? `${num(m['throughput'].value, 2)} ${m['throughput'].unit ?? ''}`.trim() : '–';
  const rr = m['rr_transactions_per_s'] ?? m['transactions_per_s'];
  return { tput, cpb: num(m['cycles_per_byte.total']?.value, 2), lro: num(m['lro_rate']?.value, 2), rr: num(rr?.value, 0) };
}

function textTable(rows: RunListRow[]): string {
  const head = ['id', 'kind', 'system', 'workload', 'seed', 'throughput', 'c/B', 'LRO', 'RR/s', 'label (log)'];
  const body = rows.map((r) => {
    const h = headline(r);
    const label = r.fileName && r.label && !r.label.startsWith(r.fileName) ? `${r.label} (${r.fileName})` : (r.label ?? r.fileName ?? '');
    return [String(r.id), r.kind, r.system ?? '–', r.workload ?? '–', r.seed === null ? '–' : String(r.seed), h.tput, h.cpb, h.lro, h.rr, label];
  });
  const width = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const right = new Set([0, 4, 6, 7, 8]);
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : right.has(i) ? c.padStart(width[i] as number) : c.padEnd(width[i] as number))).join('  ');
  return [line(head), ...body.map(line)].join('\n') + '\n';
}

/** Run ids as a Compare cell reads them ("12, 14, 20-25"), at most 1,000: usage errors otherwise. */
function showIds(text: string): number[] {
  try {
    const ids = parseIds(text, '--show', 1000);
    if (ids.length === 0) throw new UsageError('--show: give run ids, e.g. --show 12 or --show 20-25');
    return ids;
  } catch (e) {
    throw e instanceof IdListError ? new UsageError(e.message) : e;
  }
}

/** One stored run in full: what it is, where it came from (model, seed, log's SHA-256), its parameters and figures. */
function runText(r: StoredRun): string {
  const p = r.provenance;
  const lines = [
    `run #${r.id}  ${r.kind}  ${[r.system, r.workload].filter(Boolean).join(' ')}${r.label ? `  "${r.label}"` : ''}`,
    `  stored       ${p.createdAt} by rxlab ${p.appVersion}`,
    ...(p.modelVersion === null ? [] : [`  model        ${p.modelVersion}`]),
    ...(p.seed === null ? [] : [`  seed         ${p.seed}`]),
    ...(p.inputSha256 === null ? [] : [`  input        SHA-256 ${p.inputSha256}${r.importedFileId === null ? '' : ` (imported log #${r.importedFileId})`}`]),
  ];
  const params = Object.entries(p.parameters);
  if (params.length) lines.push('  parameters', ...params.map(([k, v]) => `    ${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`));
  const metrics = Object.entries(r.metrics).filter(([, v]) => v !== null);
  if (metrics.length) lines.push('  figures', ...metrics.map(([k, v]) => `    ${k} = ${v}`));
  return lines.join('\n');
}

export const runsCommand: CommandSpec = {
  name: 'runs',
  summary: 'List stored runs (simulated and imported), filtered and sorted, a page at a time',
  usage: `rxlab [--db FILE] runs [--kind simulated|measured] [--system NAME|none] [--workload W] [--model VERSION]
                        [--file ID] [--search TEXT] [--sort ${RUN_SORTS.join('|')}] [--asc]
                        [--limit N] [--offset N] [--json | --csv | --ids]
       rxlab [--db FILE] runs --show ID[,ID|FROM-TO…] [--json]

Every run in the store: one per simulated seed (Simulation and Sweep cells, rxlab sweep), one per
record of an imported netperf / iperf3 / flent log and one per profile of an opreport / perf log. Newest first unless --sort / --asc say otherwise;
runs without the sorted value come last.

  --system none   runs without a system (imported records)
  --file ID       the runs of one imported log (rxlab import prints its id)
  --search TEXT   part of the label or of the log's file name, or a run id (#12)
  --limit N       runs per page, 1–1000 (default 50); --offset N skips the first N
  --ids           only the ids, compacted as a Compare cell reads them ("12, 20-25")
  --json          the page as runs.query answers it (total, rows, facets)
  --csv           one line per run with the list's metrics
  --show IDS      those runs in full instead: provenance (model version, seed, the log's SHA-256, when
                  and by which rxlab), every parameter and figure; --json as runs.get answers (with the
                  result document as stored)`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        kind: { type: 'string' },
        system: { type: 'string' },
        workload: { type: 'string' },
        model: { type: 'string' },
        file: { type: 'string' },
        search: { type: 'string' },
        sort: { type: 'string' },
        asc: { type: 'boolean' },
        limit: { type: 'string' },
        offset: { type: 'string' },
        json: { type: 'boolean' },
        csv: { type: 'boolean' },
        ids: { type: 'boolean' },
        show: { type: 'string' },
      },
      strict: true,
    });
    if (values.show !== undefined) {
      const others = Object.entries(values).filter(([k, v]) => v !== undefined && k !== 'show' && k !== 'json').map(([k]) => `--${k}`);
      if (others.length) throw new UsageError(`--show takes only --json (not ${others.join(', ')})`);
      return showRuns(showIds(values.show), values.json === true, io);
    }
    if ([values.json, values.csv, values.ids].filter(Boolean).length > 1) throw new UsageError('--json, --csv and --ids: choose one');
    const parsed = schemas['runs.query'].safeParse({
      kind: values.kind,
      // system names are matched as the other commands take them: "lro" is LRO (it had matched nothing)
      system: values.system === 'none' ? null : (SYSTEM_NAMES.find((n) => n.toLowerCase() === values.system?.toLowerCase()) ?? values.system),
      workload: values.workload,
      modelVersion: values.model,
      importedFileId: values.file === undefined ? undefined : intFlag('file', values.file, 0, 1),
      text: values.search,
      sort: values.sort,
      order: values.asc ? 'asc' : 'desc',
      limit: intFlag('limit', values.limit, 50, 1, 1000),
      offset: intFlag('offset', values.offset, 0, 0, 1e9),
      facets: values.json ?? false,
    });
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      const flag = { kind: 'kind', sort: 'sort', system: 'system', workload: 'workload', modelVersion: 'model', text: 'search' }[String(i?.path[0])] ?? String(i?.path[0]);
      throw new UsageError(`--${flag}: ${i?.message ?? 'invalid'}`);
    }
    const db = readStore(io.dbPath);
    try {
      const page = queryRuns(db, parsed.data);
      if (values.json) io.out(`${JSON.stringify(page)}\n`);
      else if (values.ids) io.out(`${compactIds(page.rows.map((r) => r.id))}\n`);
      else if (values.csv) {
        const head = ['id', 'kind', 'system', 'workload', 'label', 'seed', 'model_version', 'created_at', 'imported_file_id', 'file_name', ...RUN_LIST_METRICS.flatMap((m) => [m, `${m}.unit`])];
        const body = page.rows.map((r) => [r.id, r.kind, r.system, r.workload, r.label, r.seed, r.modelVersion, r.createdAt, r.importedFileId, r.fileName, ...RUN_LIST_METRICS.flatMap((m) => [r.metrics[m]?.value, r.metrics[m]?.unit])]);
        io.out(csvRows([head, ...body]));
      } else if (page.total === 0) io.out('No stored run matches.\n');
      else if (page.rows.length === 0) io.err(`no runs at --offset ${page.offset} (${page.total.toLocaleString('en-US')} match in all)\n`);
      else {
        io.out(textTable(page.rows));
        const last = page.offset + page.rows.length;
        const more = last < page.total ? `; --offset ${last} for the next page` : '';
        io.err(`runs ${page.offset + 1}–${last} of ${page.total.toLocaleString('en-US')}${more}\n`);
      }
      return 0;
    } finally {
      db.close();
    }
  },
};

/** The database file for reading, its schema brought up to date first (a read-only connection cannot). */
function readStore(dbPath: string | undefined): ReturnType<typeof openStore> {
  const file = resolve(dbPath ?? defaultDbPath());
  if (!existsSync(file)) throw new UsageError(`${file}: no such database (nothing has been stored yet)`);
  openStore(file).close();
  return openStore(file, { readonly: true });
}

function showRuns(ids: number[], json: boolean, io: Parameters<CommandSpec['run']>[1]): number {
  const db = readStore(io.dbPath);
  try {
    const runs = getRuns(db, ids);
    const found = new Set(runs.map((r) => r.id));
    const missing = ids.filter((id) => !found.has(id));
    if (json) io.out(`${JSON.stringify(runs)}\n`);
    else if (runs.length) io.out(`${runs.map(runText).join('\n\n')}\n`);
    if (missing.length) io.err(`no stored run ${compactIds(missing)}\n`);
    return missing.length ? 1 : 0;
  } finally {
    db.close();
  }
}
