/**
 * What "Run" does for each cell kind: backend calls and the compact outputs stored in the cell
 * (run ids + summary numbers, never whole documents of raw runs).
 */
import type { ImportOutcome, Outputs, PaperTables, StoredRun, SweepOutcome } from '../../../core/contract/index.js';
import { MAX_UPLOAD_BYTES, SBATCH_OPTION } from '../../../core/contract/limits.js';
import { call, importLogBytes, newJobId } from './api.js';
import { expandRange, parseKnob, type KnobValue } from './knobs.js';
import { interval, type Interval } from './stats.js';
import { buildProfile, buildTables, findGroup } from './compare.js';
import { paperFlushPoints, paperValue } from '../../../core/contract/paper-points.js';
import { measuredAlong, type DocLike, type MeasuredValues } from './measured.js';
import { overTime } from '../../../core/contract/over-time.js';
import { simOverTime } from '../../../core/contract/sim-over-time.js';
import {
  dependencies,
  plotSource,
  SYSTEMS,
  type CompareOutput,
  type FnShare,
  type ImportedEntry,
  type ImportOutput,
  type PlotOutput,
  type PlotSeries,
  type ProvSummary,
  type SimGroup,
  type SimOutput,
  type SweepOutput,
  type UiCell,
  knobSetOf,
  varyOf,
} from './notebook.js';
import { stableStringify } from '../../../core/contract/stable-json.js';
import { compactIds, IdListError, parseIds as parseIdList } from '../../../core/contract/ids.js';
import { sweepKnobSpec, type KnobAxisSpec } from '../../../core/contract/metric-labels.js';

export class ConfigError extends Error {}

/**
 * A refusal the cell already shows beside the field (e.g. Seeds, checked as you type): the notebook
 * does not repeat it under the cell, it puts the focus on the field instead.
 */
export class FieldError extends ConfigError {}

/** Seeds when a cell's settings have none (the field shows the same). */
export const DEFAULT_SEEDS = 3;

/** Validated knob overrides of a Simulation or Sweep cell. */
export function knobSet(config: Record<string, unknown>): Record<string, KnobValue> {
  const set = knobSetOf(config);
  const out: Record<string, KnobValue> = {};
  for (const [k, v] of Object.entries(set)) {
    const p = parseKnob(k, String(v));
    // the knob's field shows this beside it already (KnobEditor): a FieldError is not repeated under the cell
    if ('error' in p) throw new FieldError(p.error);
    out[k] = p.value;
  }
  return out;
}

/** The Seeds field as the Simulation and Sweep cells check it while you type; null when it is fine. */
export function seedsFieldError(seeds: string): string | null {
  return /^\d+$/.test(seeds) && Number(seeds) >= 1 && Number(seeds) <= 100 ? null : 'Seeds: a whole number from 1 to 100';
}

export function seedList(config: Record<string, unknown>): number[] {
  const seeds = String(config['seeds'] ?? DEFAULT_SEEDS);
  const bad = seedsFieldError(seeds);
  if (bad !== null) throw new FieldError(bad);
  return Array.from({ length: Number(seeds) }, (_, i) => i + 1);
}

export function simSystems(config: Record<string, unknown>): string[] {
  const s = config['systems'];
  const list = Array.isArray(s) ? (s as string[]) : [];
  const ok = list.filter((x) => (SYSTEMS as readonly string[]).includes(x));
  if (ok.length === 0) throw new ConfigError('Choose a system');
  return ok;
}

export function workloads(config: Record<string, unknown>): ('stream' | 'rr')[] {
  const w = config['workload'];
  return w === 'both' ? ['stream', 'rr'] : w === 'rr' ? ['rr'] : ['stream'];
}

function provOf(runs: StoredRun[]): ProvSummary {
  const p = runs[0]?.provenance;
  return {
    appVersion: p?.appVersion ?? null,
    modelVersion: p?.modelVersion ?? null,
    parameters: p?.parameters ?? null,
    seeds: runs.map((r) => r.provenance.seed).filter((s): s is number => s !== null),
    inputSha256: p?.inputSha256 ?? null,
    createdAt: p?.createdAt ?? null,
  };
}

interface FnDetail {
  domain?: string;
  function?: string;
  share?: number;
  cycles?: number;
}

/** Mean share per function over seeds, top 25. */
function functionShares(runs: StoredRun[]): FnShare[] {
  const acc = new Map<string, { domain: string; function: string; sum: number }>();
  for (const r of runs) {
    const fns = (r.detail as { cycles_by_function?: FnDetail[] } | null)?.cycles_by_function;
    if (!Array.isArray(fns)) continue;
    for (const f of fns) {
      if (typeof f.function !== 'string') continue;
      const key = `${f.domain ?? ''}\u0000${f.function}`;
      const e = acc.get(key) ?? { domain: f.domain ?? '', function: f.function, sum: 0 };
      e.sum += typeof f.share === 'number' ? f.share : 0;
      acc.set(key, e);
    }
  }
  return [...acc.values()]
    .map((e) => ({ domain: e.domain, function: e.function, share: e.sum / Math.max(1, runs.length) }))
    .sort((a, b) => b.share - a.share)
    .slice(0, 25);
}

/**
 * Knobs that change no result, only what a run records (core/sim/params.ts: trace_ms is "observation
 * only"; notebook.test.ts checks the list against the model's specs): runs that differ only in them
 * are the same setting, and with the same seed the same run.
 */
export const OBSERVATION_KNOBS: ReadonlySet<string> = new Set(['trace_ms']);

/** A run's parameters less the observation-only knobs: what its results depend on besides seed and model. */
function settingOf(r: StoredRun): Record<string, unknown> {
  const p: unknown = r.provenance.parameters;
  if (p === null || typeof p !== 'object' || Array.isArray(p)) return {};
  return Object.fromEntries(Object.entries(p as Record<string, unknown>).filter(([k]) => !OBSERVATION_KNOBS.has(k)));
}

/** Runs that may be pooled as seeds of one setting: same system, workload, model version and parameters. */
function poolKey(r: StoredRun): string {
  return stableStringify([r.system ?? '?', r.workload ?? 'stream', r.provenance.modelVersion ?? null, settingOf(r)]);
}

/**
 * Groups runs by system, workload, model version and parameters (a pooled interval over different
 * settings would be no interval at all); each metric summarised as mean and 95 % Student-t interval over seeds.
 */
export function summariseRuns(runs: StoredRun[]): SimGroup[] {
  const groups = new Map<string, StoredRun[]>();
  for (const r of runs) {
    const key = poolKey(r);
    const g = groups.get(key) ?? [];
    g.push(r);
    groups.set(key, g);
  }
  return [...groups.values()].map((rs) => {
    const system = rs[0]?.system ?? '?';
    const workload = rs[0]?.workload ?? 'stream';
    const keys = new Set<string>();
    for (const r of rs) for (const k of Object.keys(r.metrics)) keys.add(k);
    const metrics: Record<string, Interval> = {};
    for (const k of keys) {
      const s = interval(rs.map((r) => r.metrics[k]).filter((v): v is number => typeof v === 'number'));
      if (s) metrics[k] = s;
    }
    const overTime = simOverTime(rs.map((r) => r.detail));
    return { system, workload, runIds: rs.map((r) => r.id), metrics, functions: functionShares(rs), provenance: provOf(rs), ...(overTime ? { overTime } : {}) };
  });
}

/** A parameter value as the refusal names it. */
function knobText(v: unknown): string {
  return v === undefined ? 'unset' : typeof v === 'string' ? v : stableStringify(v);
}

/** A parameter value to compare by: unset ('') is not the same as null. */
function valueKey(v: unknown): string {
  return v === undefined ? '' : stableStringify(v);
}

/** The distinct values in first-seen order, numbers sorted (flush_every_polls 1, 3, 4). */
function distinct(values: unknown[]): string {
  const uniq = [...new Map(values.map((v) => [valueKey(v), v])).values()];
  if (uniq.every((v) => typeof v === 'number')) (uniq as number[]).sort((a, b) => a - b);
  return uniq.map(knobText).join(', ');
}

function shortIds(ids: number[]): string {
  return ids.length > 6 ? `${ids.slice(0, 6).join(', ')}, …` : ids.join(', ');
}

/**
 * The Compare cell's "Stored runs": one group per system and workload. The same run given twice (same
 * system, workload, parameters, seed and model version: e.g. stored again by another notebook) counts
 * once, and the note says so; runs of one system with different parameters (a sweep's points) or model
 * versions are refused, naming what differs, since the table has one row per system.
 */
export function storedRunGroups(runs: StoredRun[]): { groups: SimGroup[]; notes: string[] } {
  const seen = new Map<string, number>();
  const kept: StoredRun[] = [];
  const repeats: { id: number; of: number }[] = [];
  for (const r of runs) {
    // without a seed two runs cannot be told to be the same: both count
    const key = r.provenance.seed === null ? null : stableStringify([poolKey(r), r.provenance.seed]);
    const first = key === null ? undefined : seen.get(key);
    if (first !== undefined) {
      repeats.push({ id: r.id, of: first });
      continue;
    }
    if (key !== null) seen.set(key, r.id);
    kept.push(r);
  }
  const bySystem = new Map<string, StoredRun[][]>();
  const pools = new Map<string, StoredRun[]>();
  for (const r of kept) {
    const key = poolKey(r);
    const pool = pools.get(key);
    if (pool) {
      pool.push(r);
      continue;
    }
    const fresh = [r];
    pools.set(key, fresh);
    const sw = stableStringify([r.system ?? '?', r.workload ?? 'stream']);
    bySystem.set(sw, [...(bySystem.get(sw) ?? []), fresh]);
  }
  const refusals: string[] = [];
  for (const settings of bySystem.values()) {
    if (settings.length < 2) continue;
    const heads = settings.map((rs) => rs[0] as StoredRun);
    const first = heads[0] as StoredRun;
    const name = `${first.system ?? '?'}${first.workload === 'rr' ? ' (TCP_RR)' : ''}`;
    const params = heads.map(settingOf);
    const knobs = [...new Set(params.flatMap((p) => Object.keys(p)))].sort().filter((k) => new Set(params.map((p) => valueKey(p[k]))).size > 1);
    const differ = knobs.map((k) => `${k} (${distinct(params.map((p) => p[k]))})`);
    const models = heads.map((r) => r.provenance.modelVersion);
    if (new Set(models).size > 1) differ.push(`model version (${distinct(models.map((m) => m ?? 'unknown'))})`);
    const which = settings
      .slice(0, 8)
      .map((rs, i) => `${shortIds(rs.map((r) => r.id))} (${knobs.map((k) => `${k} = ${knobText(params[i]?.[k])}`).join(', ') || `model ${rs[0]?.provenance.modelVersion ?? 'unknown'}`})`);
    refusals.push(
      `${name}: the stored runs differ in ${differ.join(' and ')}: compare one setting at a time, or use a Sweep cell. Runs by setting: ${which.join('; ')}${settings.length > 8 ? '; …' : ''}.`,
    );
  }
  if (refusals.length) throw new ConfigError(refusals.join(' '));
  const one = repeats.length === 1;
  const notes = repeats.length
    ? [
        `${one ? 'Stored run' : 'Stored runs'} ${repeats.map((x) => x.id).join(', ')} ${one ? 'repeats run' : 'repeat runs'} ${repeats.map((x) => x.of).join(', ')} (same system, workload, parameters, seed and model version) and ${one ? 'was' : 'were'} counted once.`,
      ]
    : [];
  return { groups: summariseRuns(kept), notes };
}

export async function runSimulation(cell: UiCell, jobId: string): Promise<SimOutput> {
  const set = knobSet(cell.config);
  const seeds = seedList(cell.config);
  const ps = parameterSetOf(cell.config);
  const runs = simSystems(cell.config).flatMap((system) =>
    workloads(cell.config).flatMap((workload) => seeds.map((seed) => ({ system: system as (typeof SYSTEMS)[number], workload, seed, set, ...ps }))),
  );
  const res = await call('sim.run', { jobId, runs });
  return { runIds: res.runs.map((r) => r.id), groups: summariseRuns(res.runs), cached: res.cached, ranAt: new Date().toISOString(), set };
}

/** The named parameter set a cell starts from ({} = the calibration to the paper). */
export function parameterSetOf(config: Record<string, unknown>): { parameterSet?: string } {
  const v = config['parameterSet'];
  return typeof v === 'string' && v.trim() !== '' ? { parameterSet: v } : {};
}

export function sweepRequest(config: Record<string, unknown>): {
  system: (typeof SYSTEMS)[number];
  workload: 'stream' | 'rr';
  set: Record<string, KnobValue>;
  vary: { key: string; values: number[] }[];
  seeds: number;
  parameterSet?: string;
  on?: 'slurm';
  sbatch?: string[];
} {
  const system = String(config['system'] ?? '');
  if (!(SYSTEMS as readonly string[]).includes(system)) throw new ConfigError('Choose a system');
  const varyCfg = varyOf<{ key: string; from: number; to: number; step: number }>(config);
  if (varyCfg.length < 1 || varyCfg.length > 2) throw new ConfigError('Vary one or two knobs');
  if (varyCfg.length === 2 && varyCfg[0]?.key === varyCfg[1]?.key) throw new ConfigError('Vary two different knobs');
  const vary = varyCfg.map((v) => {
    const r = expandRange(v.key, Number(v.from), Number(v.to), Number(v.step));
    if ('error' in r) throw new ConfigError(r.error);
    return { key: v.key, values: r.values };
  });
  const seeds = seedList(config).length;
  const workload = config['workload'] === 'rr' ? 'rr' : 'stream';
  // a knob set before it was varied stays in the cell's config (hidden by the editor): the axis wins
  const set = Object.fromEntries(Object.entries(knobSet(config)).filter(([k]) => !vary.some((v) => v.key === k)));
  return { system: system as (typeof SYSTEMS)[number], workload, set, vary, seeds, ...parameterSetOf(config), ...slurmOf(config) };
}

/** Extra #SBATCH options as typed (space-separated), one --option each, or what is wrong with them. */
export function parseSbatch(text: unknown): string[] | { error: string } {
  const opts = typeof text === 'string' ? text.split(/\s+/).filter((o) => o !== '') : [];
  const bad = opts.find((o) => !SBATCH_OPTION.test(o));
  if (bad !== undefined) return { error: `sbatch options: "${bad}" is not one such as --partition=debug or --time=00:10:00` };
  if (opts.length > 10) return { error: 'sbatch options: at most 10' };
  return opts;
}

/** A Sweep cell set to run on Slurm: `on` and its extra #SBATCH options. */
function slurmOf(config: Record<string, unknown>): { on?: 'slurm'; sbatch?: string[] } {
  if (config['on'] !== 'slurm') return {};
  const opts = parseSbatch(config['sbatch']);
  if ('error' in opts) throw new ConfigError(opts.error);
  return { on: 'slurm', sbatch: opts };
}

export async function runSweep(cell: UiCell, jobId: string): Promise<SweepOutput> {
  const req = sweepRequest(cell.config);
  const res: SweepOutcome = await call('sweep.run', { jobId, ...req });
  return {
    system: res.system,
    workload: res.workload,
    vary: res.vary,
    seeds: res.seeds,
    points: res.points.map((p) => ({
      values: p.values,
      runIds: p.runIds,
      metrics: Object.fromEntries(
        Object.entries(p.metrics).map(([k, s]) => [k, { mean: s.mean, lo: s.n > 1 ? s.lo : null, hi: s.n > 1 ? s.hi : null, halfWidth: s.n > 1 ? s.halfWidth : null, n: s.n }]),
      ),
    })),
    cachedRuns: res.cachedRuns,
    modelVersion: res.modelVersion,
    varySpecs: res.varySpecs,
    ranAt: new Date().toISOString(),
    set: req.set,
    ...(res.slurm === undefined ? {} : { slurm: res.slurm }),
  };
}

/** A record without its raw time series (the cell keeps it as `over_time`). */
function withoutInterim(r: unknown): unknown {
  if (!r || typeof r !== 'object' || !('interim' in r)) return r;
  const { interim: _drop, ...rest } = r as Record<string, unknown>;
  return rest;
}

interface RowLike {
  depth?: number;
  samples?: number[];
}
/**
 * Keeps an imported document small enough for a cell (it is autosaved with the notebook): the first
 * 500 records, without their raw time series, which become `over_time` (capped and averaged into
 * buckets, over-time.ts), and the top profile rows. The store keeps the whole document.
 */
export function trimDocument(doc: unknown): unknown {
  if (!doc || typeof doc !== 'object') return doc;
  const d = doc as { records?: unknown[]; records_total?: number; profiles?: { rows?: RowLike[] }[] };
  const records = d.records ?? [];
  const series = overTime(records);
  return {
    ...d,
    records: records.slice(0, 500).map(withoutInterim),
    ...(series ? { over_time: series } : {}),
    records_total: Math.max(d.records_total ?? 0, records.length),
    profiles: (d.profiles ?? []).map((p) => {
      const rows = p.rows ?? [];
      return { ...p, rows: rows.filter((r) => (r.depth ?? 0) === 0).slice(0, 60), rows_total: rows.length };
    }),
  };
}

export async function importFile(file: File, jobId = newJobId()): Promise<ImportedEntry> {
  if (file.size > MAX_UPLOAD_BYTES) {
    // said before 300 MiB are read into the page and sent
    throw new Error(
      `${(file.size / 1024 / 1024).toFixed(0)} MiB; the notebook takes logs up to ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB. Import larger ones with \`rxlab import FILE\`, then “add a stored log” here.`,
    );
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  return toEntry(await importLogBytes(jobId, file.name, bytes));
}

/** A log already in the store (imported from another notebook or with `rxlab import`), as an Import cell entry. */
export async function storedImport(fileId: number): Promise<ImportedEntry> {
  return toEntry(await call('imports.get', { id: fileId }));
}

function toEntry(res: ImportOutcome): ImportedEntry {
  return {
    fileId: res.file.id,
    fileName: res.file.fileName,
    sha256: res.file.sha256,
    tool: res.file.tool,
    format: res.file.format,
    parserVersion: res.file.parserVersion,
    sizeBytes: res.file.sizeBytes,
    importedAt: res.file.importedAt,
    duplicate: res.duplicate,
    runIds: res.runIds,
    warnings: res.file.warnings,
    document: trimDocument(res.document),
  };
}

type BackendSummary = { mean: number; interval: { lo: number; hi: number; halfWidth: number; n: number } | null; values: number[] } | null | undefined;
function toInterval(s: BackendSummary): Interval | null {
  if (!s) return null;
  if (!s.interval) return { mean: s.mean, lo: null, hi: null, halfWidth: null, n: s.values.length };
  return { mean: s.mean, lo: s.interval.lo, hi: s.interval.hi, halfWidth: s.interval.halfWidth, n: s.interval.n };
}

/** Maps the backend's measured tables (core/logs/measured) to the Compare cell's measured column. */
export function fromBackend(t: Outputs['measured.tables']): MeasuredValues {
  return {
    throughputMbps: toInterval(t.tableIV.throughputMbps),
    rrPerS: toInterval(t.tableVII.transactionsPerS),
    cyclesPerByte: {
      driver: toInterval(t.tableV.perDomain['driver']),
      guest: toInterval(t.tableV.perDomain['guest']),
      total: toInterval(t.tableV.perDomain['total']),
    },
    arithmetic: [...t.steps, ...t.warnings.map((w) => `warning: ${w}`)],
    warnings: t.warnings,
  };
}

/**
 * Ids typed by the user ("12, 14, 20-25"): runs from the store (any notebook, the CLI, sweeps) or
 * imported files (`rxlab import` prints their ids). Errors name the piece that is wrong, under the cell.
 */
export function parseIds(text: unknown, what: string, max: number): number[] {
  try {
    return parseIdList(text, what, max);
  } catch (e) {
    throw e instanceof IdListError ? new ConfigError(e.message) : e;
  }
}

/**
 * The Compare cell's "Imported files" field: ids for the default testbed ("3, 4"), or ids per testbed
 * ("Xen: 3, 4; LRO: 5"), so logs measured on several configurations fill several rows.
 */
export function parseFileIdsBySystem(text: unknown, defaultSystem: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const s = typeof text === 'string' ? text : '';
  for (const part of s.split(';')) {
    if (!part.trim()) continue;
    const m = /^\s*([A-Za-z]+)\s*:(.*)$/.exec(part);
    const system = m ? SYSTEMS.find((x) => x.toLowerCase() === (m[1] ?? '').toLowerCase()) : defaultSystem;
    if (!system) throw new ConfigError(`Imported files: "${(m?.[1] ?? '').trim()}" is not a system (${SYSTEMS.join(', ')})`);
    const ids = parseIds(m ? m[2] : part, `Imported files (${system})`, 1000);
    out.set(system, [...new Set([...(out.get(system) ?? []), ...ids])]);
  }
  return out;
}

/** The testbed an Import cell's logs were measured on (its "Measured on" choice), else the Compare cell's default. */
export function importSystem(cell: UiCell, defaultSystem: string): string {
  const s = cell.config['system'];
  return typeof s === 'string' && (SYSTEMS as readonly string[]).includes(s) ? s : defaultSystem;
}

/**
 * A table row shows one source per system and workload, the last given (compare.ts findGroup): when
 * another source simulated it too, say which one fills the row and which is not shown — it used to
 * be swapped silently.
 */
export function shadowedNotes(groups: readonly SimGroup[], sourceOf: ReadonlyMap<SimGroup, string>): string[] {
  const bySlot = new Map<string, SimGroup[]>();
  for (const g of groups) {
    const k = `${g.system} (${g.workload === 'rr' ? 'TCP_RR' : 'TCP_STREAM'})`;
    bySlot.set(k, [...(bySlot.get(k) ?? []), g]);
  }
  const notes: string[] = [];
  for (const [slot, gs] of bySlot) {
    if (gs.length < 2) continue;
    const used = gs[gs.length - 1] as SimGroup;
    const others = gs.slice(0, -1).map((g) => `${sourceOf.get(g) ?? 'another input'} (runs ${compactIds(g.runIds)})`);
    notes.push(`${slot}: ${sourceOf.get(used) ?? 'the last input'} (runs ${compactIds(used.runIds)}) fill the row; ${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} not shown (one source per row: the last one given).`);
  }
  return notes;
}

/**
 * The message and request/response sizes the row's simulation used, so the measured column prefers
 * logs of the same sizes where they mix (a 1-byte TCP_RR beside a 32 KB one is another experiment).
 */
export function simSizes(groups: readonly SimGroup[], system: string): { messageBytes?: number; rrRequestBytes?: number; rrResponseBytes?: number } | null {
  const num = (g: SimGroup | undefined, k: string): number | undefined => {
    const v = g?.provenance.parameters?.[k];
    return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
  };
  const stream = groups.find((g) => g.system === system && g.workload !== 'rr');
  const rr = groups.find((g) => g.system === system && g.workload === 'rr');
  const out = { messageBytes: num(stream, 'message_bytes'), rrRequestBytes: num(rr, 'rr_request_bytes'), rrResponseBytes: num(rr, 'rr_response_bytes') };
  const set = Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
  return Object.keys(set).length ? set : null;
}

export async function runCompare(cells: readonly UiCell[], index: number): Promise<CompareOutput> {
  const cell = cells[index];
  if (!cell) throw new Error('no such cell');
  const deps = new Set(dependencies(cells, index));
  const inputs = cells.filter((c) => deps.has(c.id));
  const measuredSystem = String(cell.config['measuredSystem'] ?? 'Xen');
  const groups: SimGroup[] = [];
  // where each group came from, to say which one fills a row that two sources simulate
  const sourceOf = new Map<SimGroup, string>();
  const files: (ImportedEntry & { system: string })[] = [];
  for (const c of inputs) {
    if (c.kind === 'simulation' && c.output) {
      for (const g of (c.output as SimOutput).groups) {
        groups.push(g);
        sourceOf.set(g, `Simulation cell [${cells.indexOf(c) + 1}]`);
      }
    }
    if (c.kind === 'import' && c.output) files.push(...(c.output as ImportOutput).files.map((f) => ({ ...f, system: importSystem(c, measuredSystem) })));
  }
  // Runs and imported files from the store, by id (from other notebooks, the CLI or sweeps).
  const runIds = parseIds(cell.config['runIds'], 'Stored runs', 10000);
  const storedFiles = parseFileIdsBySystem(cell.config['fileIds'], measuredSystem);
  const notes: string[] = [];
  if (runIds.length) {
    const runs = await call('runs.get', { ids: runIds });
    const sims = runs.filter((r) => r.kind === 'simulated');
    if (sims.length < runIds.length) notes.push(`${runIds.length - sims.length} of the ${runIds.length} stored run id(s) are not simulated runs in this database and were left out.`);
    const stored = storedRunGroups(sims);
    groups.push(...stored.groups);
    for (const g of stored.groups) sourceOf.set(g, 'Stored runs');
    notes.push(...stored.notes);
  }
  notes.push(...shadowedNotes(groups, sourceOf));
  const paper = await call('reference.paper', {});
  // Which files fill which row: a file is counted once per system it was given for.
  const bySystem = new Map<string, number[]>();
  for (const sys of SYSTEMS) {
    const ids = [...new Set([...files.filter((f) => f.system === sys).map((f) => f.fileId), ...(storedFiles.get(sys) ?? [])])];
    if (ids.length) bySystem.set(sys, ids);
  }
  const measured: Partial<Record<string, MeasuredValues>> = {};
  const arithmetic: string[] = [];
  const how = 'Arithmetic by the backend (measured.tables).';
  const measuredWarnings: string[] = [];
  for (const [sys, fileIds] of bySystem) {
    const sizes = simSizes(groups, sys);
    const values = fromBackend(await call('measured.tables', { fileIds, system: sys, ...(sizes ? { sizes } : {}) }));
    measured[sys] = values;
    measuredWarnings.push(...(values.warnings ?? []).map((w) => (bySystem.size > 1 ? `${sys}: ${w}` : w)));
    if (bySystem.size > 1) arithmetic.push(`— ${sys}: ${fileIds.length} imported file(s) —`);
    arithmetic.push(...values.arithmetic);
  }
  const rows = [...bySystem].map(([sys, ids]) => `${sys} row from ${ids.length} imported file(s)`);
  let measuredNote = rows.length
    ? `Measured column: ${rows.join(', ')}. ${how}`
    : 'No imported logs above this cell: add an Import cell (or give imported file ids) for a measured column.';
  if (notes.length) measuredNote += ` ${notes.join(' ')}`;
  const tables = buildTables(paper, groups, measured);
  const prof = files.find((f) => ((f.document as DocLike).profiles ?? []).length > 0);
  const profile = prof ? buildProfile(prof.document as DocLike, prof.fileName, findGroup(groups, prof.system, 'stream') ?? findGroup(groups, 'DA', 'stream') ?? groups[0]) : null;
  const provenance: ProvSummary[] = [
    ...groups.map((g) => ({ ...g.provenance, parameters: null })),
    ...files.map((f) => ({ appVersion: null, modelVersion: null, parameters: null, seeds: [], inputSha256: f.sha256, createdAt: f.importedAt })),
  ];
  if (groups.length === 0 && bySystem.size === 0) measuredNote = 'Nothing to compare yet: run a Simulation cell or import logs above this cell. The paper column is shown alone.';
  const measuredSources = [...bySystem].map(([system, fileIds]) => ({ system, fileIds }));
  return { tables, measuredSystem, measuredNote, ...(measuredWarnings.length ? { measuredWarnings } : {}), arithmetic, profile, inputs: [...deps], provenance, ranAt: new Date().toISOString(), measuredSources };
}

/** Metrics a source cell offers to a Plot cell. */
export function sourceMetrics(source: UiCell | undefined): string[] {
  if (!source?.output) return [];
  const keys = new Set<string>();
  // A source whose saved result is damaged (it shows its own error) offers no metrics rather than breaking the Plot cell.
  const out = source.output as Partial<SweepOutput & SimOutput>;
  const entries: unknown = source.kind === 'sweep' ? out.points : source.kind === 'simulation' ? out.groups : undefined;
  if (!Array.isArray(entries)) return [];
  for (const e of entries as unknown[]) {
    const m = (e as { metrics?: unknown } | null)?.metrics;
    if (m !== null && typeof m === 'object') for (const k of Object.keys(m)) keys.add(k);
  }
  return [...keys].sort();
}

/** The knobs a Sweep cell's saved result varies ([] for anything else, or a damaged result). */
export function sweepVary(source: UiCell | undefined): string[] {
  const vary: unknown = source?.kind === 'sweep' ? (source.output as Partial<SweepOutput> | null)?.vary : undefined;
  return Array.isArray(vary) ? vary.filter((k): k is string => typeof k === 'string') : [];
}

/** Plots a metric of the nearest Simulation or Sweep cell above; with `paper`, the paper's values beside it. */
export function runPlot(cells: readonly UiCell[], index: number, paper: PaperTables | null = null): PlotOutput {
  const cell = cells[index];
  if (!cell) throw new Error('no such cell');
  const src = plotSource(cells, index);
  if (!src) throw new ConfigError('No Simulation or Sweep cell above to plot from');
  if (!src.output) throw new ConfigError('Run the source cell first');
  const o = src.output as Partial<SweepOutput & SimOutput>;
  if (src.kind === 'sweep' ? !Array.isArray(o.points) || !Array.isArray(o.vary) : !Array.isArray(o.groups)) {
    throw new ConfigError(`The source cell's saved result cannot be read: run the ${src.kind === 'sweep' ? 'Sweep' : 'Simulation'} cell again`);
  }
  const y = String(cell.config['y'] || 'throughput_mbps');
  let xCfg = String(cell.config['x'] ?? '');
  let varySpecs: Record<string, KnobAxisSpec> | undefined;
  const series: PlotSeries[] = [];
  if (src.kind === 'sweep') {
    const out = src.output as SweepOutput;
    const xKnob = out.vary.includes(xCfg) ? xCfg : (out.vary[0] ?? '');
    const other = out.vary.find((k) => k !== xKnob);
    const byOther = new Map<string, PlotSeries>();
    // x may also be another metric (e.g. throughput against flush latency)
    const xIsMetric = !out.vary.includes(xCfg) && xCfg !== '' && out.points.some((p) => p.metrics[xCfg]);
    for (const p of out.points) {
      const name = other ? `${other}=${String(p.values[other])}` : `${out.system} ${out.workload}`;
      const s = byOther.get(name) ?? { name, x: [], y: [], err: [] };
      const m = p.metrics[y];
      if (!m) continue;
      s.x.push(xIsMetric ? (p.metrics[xCfg]?.mean ?? Number.NaN) : (p.values[xKnob] as number | string));
      s.y.push(m.mean);
      s.err.push(m.halfWidth);
      byOther.set(name, s);
    }
    series.push(...byOther.values());
    const ref = paper && !xIsMetric && !other ? paperFlushPoints(paper, out.system, out.workload, xKnob, y) : null;
    if (ref) series.push({ name: 'Paper', x: ref.x, y: ref.y, err: [], paper: true });
    // your own runs along the same knob (send size, request or response size), from the Import cells above
    const docs = cells.slice(0, index).filter((c) => c.kind === 'import').flatMap((c) => ((c.output as ImportOutput | null)?.files ?? []).map((f) => f.document as DocLike));
    const mine = !xIsMetric && !other ? measuredAlong(docs, xKnob, y) : null;
    if (mine) series.push({ name: `Measured (${mine.runs} imported run${mine.runs === 1 ? '' : 's'})`, x: mine.x, y: mine.y, err: mine.err, measured: true });
    if (!xIsMetric) {
      xCfg = xKnob;
      const spec = sweepKnobSpec(out, xKnob);
      if (spec) varySpecs = { [xKnob]: spec };
    }
  } else {
    const out = src.output as SimOutput;
    const s: PlotSeries = { name: y, x: [], y: [], err: [] };
    for (const g of out.groups) {
      const m = g.metrics[y];
      if (!m) continue;
      s.x.push(out.groups.some((o) => o.workload !== g.workload) ? `${g.system} ${g.workload}` : g.system);
      s.y.push(m.mean);
      s.err.push(m.halfWidth);
    }
    series.push(s);
    if (paper) {
      // the paper's value for each system (and workload) shown, where it published one
      const ref: PlotSeries = { name: 'Paper', x: [], y: [], err: [], paper: true };
      out.groups.forEach((g) => {
        const v = g.metrics[y] ? paperValue(paper, g.system, g.workload, y) : null;
        if (v === null) return;
        ref.x.push(out.groups.some((o) => o.workload !== g.workload) ? `${g.system} ${g.workload}` : g.system);
        ref.y.push(v);
      });
      if (ref.x.length) series.unshift(ref);
    }
    xCfg = 'system';
  }
  if (series.every((s) => s.y.length === 0)) throw new ConfigError(`The source has no values of ${y}`);
  return { series, xLabel: xCfg, ...(varySpecs ? { varySpecs } : {}), yLabel: y, sourceCellId: src.id, ranAt: new Date().toISOString() };
}
