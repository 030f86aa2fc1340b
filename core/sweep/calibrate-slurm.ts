/**
 * "Fit the model to these measurements" beyond one machine. A fit is one sequential minimiser, but
 * each of its evaluations runs the measured systems × seeds × workloads at once (up to 20 runs), so
 * a Slurm node with many CPUs speeds it up where a job array would not. The job is one task:
 * DIR/targets.json holds the measured tables (derived here, from logs the task's throw-away database
 * does not have), the task runs `rxlab sweep calibrate --targets DIR/targets.json --json` →
 * DIR/fits/0.json, and the collector saves the fitted set into this store
 * (`rxlab sweep calibrate --collect DIR`, or the notebook's handler).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { MeasuredTables } from '../logs/measured/tables.js';
import { MODEL_VERSION } from '../sim/version.js';
import type { Db } from '../store/db.js';
import type { CalibrationToLogs, MeasuredSource } from './calibrate.js';
import { saveParameterSet } from './paramsets.js';
import { repoRoot, writeAtomic } from './slurm.js';
import { readTaskManifest, readTaskResults, writeTaskFolder } from './task-folder.js';

export const FIT_FORMAT = 'rxlab-slurm-fit/1';
export const TARGETS_FORMAT = 'rxlab-fit-targets/1';

export type SourceWithTables = MeasuredSource & { tables: MeasuredTables };

export interface FitManifest {
  format: typeof FIT_FORMAT;
  createdAt: string;
  modelVersion: string;
  repo: string;
  name: string;
  evals: number;
  replace: boolean;
}

export interface FitSlurmOptions {
  /** CPUs for the one task: its worker pool uses what it is given (default 2). */
  cpus?: number;
  sbatch?: string[];
  node?: string;
}

/** Writes DIR/manifest.json, DIR/targets.json, DIR/tasks.tsv and DIR/fit.sbatch; returns the folder and the script. */
export function writeSlurmFit(name: string, sources: SourceWithTables[], evals: number, replace: boolean, outDir: string, opts: FitSlurmOptions = {}): { dir: string; script: string } {
  const manifest: FitManifest = { format: FIT_FORMAT, createdAt: new Date().toISOString(), modelVersion: MODEL_VERSION, repo: repoRoot(), name, evals, replace };
  // the task's own database is thrown away, so it gets the set under a fixed name; the collector names it
  const written = writeTaskFolder(outDir, {
    name: 'fit',
    resultDir: 'fits',
    manifest,
    tasks: [['sweep', 'calibrate', '--name', 'slurm-fit', '--targets', join(resolve(outDir), 'targets.json'), '--evals', String(evals), '--json']],
    cpus: opts.cpus ?? 2,
    sbatch: opts.sbatch ?? [],
    node: opts.node ?? process.execPath,
    comment: [
      `rxlab sweep calibrate: "${name}" fitted to the measured tables in targets.json (${sources.map((s) => s.system).join(', ')}), ${evals} evaluations; written ${manifest.createdAt}.`,
      'The one task writes fits/0.json; the collector saves the fitted parameter set into the store.',
    ],
    collect: 'sweep calibrate --collect',
  });
  writeAtomic(written.dir, 'targets.json', `${JSON.stringify({ format: TARGETS_FORMAT, sources })}\n`);
  return written;
}

/** The measured tables of a targets file, or an error naming the file. */
export function readTargets(file: string): SourceWithTables[] {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: cannot read the fit targets: ${e instanceof Error ? e.message : String(e)}`);
  }
  const d = doc as { format?: unknown; sources?: unknown };
  if (d.format !== TARGETS_FORMAT || !Array.isArray(d.sources) || d.sources.length === 0) throw new Error(`${file}: not an rxlab fit targets file (format ${String(d.format)})`);
  return d.sources as SourceWithTables[];
}

/** The fit's report as the task printed it, every field the collector and its readers use checked. */
function readFitResult(file: string): CalibrationToLogs {
  const r = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const isObj = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v);
  const bad = [
    ...(['before', 'after', 'groups', 'notes'] as const).filter((k) => !Array.isArray(r[k])),
    ...(['params', 'multipliers', 'target'] as const).filter((k) => !isObj(r[k])),
    ...(['objective', 'evaluations'] as const).filter((k) => typeof r[k] !== 'number'),
    ...(typeof r['modelVersion'] === 'string' ? [] : ['modelVersion']),
  ];
  if (bad.length > 0) throw new Error(`not a finished fit (missing or wrong: ${bad.join(', ')})`);
  return r as unknown as CalibrationToLogs;
}

/**
 * Reads a finished fit job and saves its parameter set into `db`: under the manifest's name (or
 * `as.name`), replacing a set of that name if the manifest (or `as.replace`) says so. Returns the
 * fit's report with `saved` or `saveError` as this store answered; throws when the task has not
 * written a usable result, naming the file.
 */
export function collectFit(db: Db, dir: string, as: { name?: string; replace?: boolean } = {}): CalibrationToLogs {
  const manifest = readTaskManifest<FitManifest>(dir, FIT_FORMAT, 'fit', (m) => typeof m.name === 'string' && typeof m.evals === 'number');
  const read = readTaskResults(dir, 'fits', 1, readFitResult);
  const bad = read.invalid[0];
  if (bad !== undefined) throw new Error(`${bad.file}: ${bad.why}`);
  const r = read.parts[0]?.value;
  if (r === undefined) throw new Error(`the fit has no result yet in ${join(dir, 'fits')}`);
  const name = as.name ?? manifest.name;
  const out: CalibrationToLogs = { ...r, name, saved: null };
  delete out.saveError; // the task's own database's answer is not this store's
  try {
    out.saved = saveParameterSet(db, { name, params: r.params, report: { target: r.target, before: r.before, after: r.after, multipliers: r.multipliers, objective: r.objective, slurmJobFolder: dir }, modelVersion: r.modelVersion }, { replace: as.replace ?? manifest.replace });
  } catch (e) {
    out.saveError = e instanceof Error ? e.message : String(e);
  }
  return out;
}
