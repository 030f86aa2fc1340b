import { z } from 'zod';

/**
 * Request schemas of the rxlab API. Every host (Electron IPC, HTTP browser mode, CLI, tests) validates
 * requests against these before any handler runs, so a wrong type never reaches the store or the model.
 */

const id = z.number().int().positive();
/** No control characters (a newline, a tab, an escape): names and titles end up in file names, job scripts and reports. */
function oneLine(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 32 || c === 127) return false;
  }
  return true;
}
const title = z.string().trim().min(1, 'title must not be empty').max(200, 'title is at most 200 characters').refine(oneLine, 'title must be one line, without control characters');
export const jobId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'jobId: 1–64 letters, digits, _ or -');

/** Columns the stored-runs browser sorts by (core/store/run-query.ts maps each to SQL). */
export const RUN_SORTS = ['id', 'system', 'workload', 'seed', 'throughput', 'cycles_per_byte', 'lro_rate', 'rr'] as const;

export const CELL_KINDS = ['markdown', 'simulation', 'sweep', 'import', 'compare', 'plot'] as const;
export const cellKind = z.enum(CELL_KINDS);

/** Where long work runs: this machine's worker pool, or a Slurm job array (sbatch on PATH). */
const runOn = z.enum(['local', 'slurm']).default('local');
/** Extra #SBATCH options for `on: 'slurm'`, e.g. "--partition=debug": one option each, no spaces, since they are written into the job script. */
const sbatchOptions = z
  .array(z.string().max(100).regex(SBATCH_OPTION, 'an sbatch option such as --partition=debug or --time=00:10:00 (no spaces)'))
  .max(10)
  .default([]);

/**
 * How deeply a cell's config may nest. SQLite's json_valid stops at 1,000 levels (a CHECK failure,
 * HTTP 500) and JSON.stringify overflows the stack further down; no cell needs more than a handful.
 */
export const MAX_CONFIG_DEPTH = 64;

/** Depth of nested arrays/objects in a JSON-like value, counting no further than `limit` + 1 (iterative: never overflows). */
export function jsonDepth(v: unknown, limit: number): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[v, 0]];
  while (stack.length > 0) {
    const [x, d] = stack.pop() as [unknown, number];
    if (x === null || typeof x !== 'object') continue;
    if (d + 1 > max) max = d + 1;
    if (max > limit) return max;
    for (const c of Object.values(x as Record<string, unknown>)) stack.push([c, d + 1]);
  }
  return max;
}

export const cellInput = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'cell id: 8–64 letters, digits or -'),
  kind: cellKind,
  config: z
    .record(z.string(), z.unknown())
    .refine((c) => jsonDepth(c, MAX_CONFIG_DEPTH) <= MAX_CONFIG_DEPTH, { message: `nested more than ${MAX_CONFIG_DEPTH} levels deep` }),
  output: z
    .unknown()
    .refine((o) => jsonDepth(o, MAX_CONFIG_DEPTH) <= MAX_CONFIG_DEPTH, { message: `nested more than ${MAX_CONFIG_DEPTH} levels deep` })
    .optional(),
  stale: z.boolean().default(false),
});

export const knobValue = z.union([z.string().max(200), z.number().finite(), z.boolean()]);
export const systemName = z.enum(['Linux', 'Xen', 'LRO', 'BO', 'DA']);
export const simRunInput = z.strictObject({
  system: systemName,
  set: z.record(z.string().max(64), knobValue).default({}),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  workload: z.enum(['stream', 'rr']).default('stream'),
  /** A named parameter set (calibrated to the user's logs) to start from instead of the default calibration. */
  parameterSet: z.string().min(1).max(100).optional(),
});

import { MAX_RXNB_CHARS, MAX_UPLOAD_BASE64_CHARS, MAX_UPLOAD_BYTES, SBATCH_OPTION, MAX_SWEEP_RUNS } from './limits.js';
import { FITTED_MULTIPLIER_NAMES, PROFILE_EVALS, PROFILE_GRID, PROFILE_KNOBS } from './multipliers.js';
import { NOTEBOOK_TEMPLATES } from './templates.js';
export { MAX_HTTP_BODY_BYTES, MAX_RXNB_CHARS, MAX_UPLOAD_BASE64_CHARS, MAX_UPLOAD_BYTES } from './limits.js';

export const schemas = {
  'app.info': z.strictObject({}),
  'notebook.list': z.strictObject({ includeDeleted: z.boolean().default(false) }),
  'notebook.create': z.strictObject({ title: title.default('Untitled notebook'), template: z.enum(NOTEBOOK_TEMPLATES).default('blank') }),
  'notebook.get': z.strictObject({ id }),
  'notebook.rename': z.strictObject({ id, title }),
  'notebook.duplicate': z.strictObject({ id }),
  'notebook.delete': z.strictObject({ id }),
  'notebook.restore': z.strictObject({ id }),
  'notebook.save': z.strictObject({ id, cells: z.array(cellInput).max(5000), baseRevision: z.number().int().min(0).optional() }),
  'sim.run': z.strictObject({ jobId: jobId.optional(), runs: z.array(simRunInput).min(1).max(2000) }),
  // the bounds of `rxlab reproduce --seeds`: a 95 % interval needs at least two seeds
  'sim.reproduce': z.strictObject({ jobId: jobId.optional(), seeds: z.number().int().min(2).max(100).default(3) }),
  'log.import': z
    .strictObject({
      jobId: jobId.optional(),
      fileName: z.string().min(1).max(500),
      // The raw bytes: what the notebook sends. No base64 to encode in the renderer and decode on the
      // main thread (together ≈ 0.4 s of frozen server for a 64 MiB log).
      data: z
        .instanceof(Uint8Array, { message: 'data: expected the bytes of the log (Uint8Array)' })
        .refine((b) => b.byteLength <= MAX_UPLOAD_BYTES, `data: a log upload is at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB`)
        .optional(),
      // The same bytes as base64 (JSON clients, scripts).
      dataBase64: z.string().max(MAX_UPLOAD_BASE64_CHARS).regex(/^[A-Za-z0-9+/\s]*(?:=\s*){0,2}$/, 'not base64 (A–Z, a–z, 0–9, +, / and = padding)').optional(),
    })
    .refine((v) => (v.data === undefined) !== (v.dataBase64 === undefined), 'give the log as data (bytes) or as dataBase64, exactly one of them'),
  'sweep.run': z.strictObject({
    jobId: jobId.optional(),
    system: systemName,
    set: z.record(z.string().max(64), knobValue).default({}),
    workload: z.enum(['stream', 'rr']).default('stream'),
    // one or two knobs, each over explicit values (the UI expands from..to:step)
    vary: z
      .array(z.strictObject({ key: z.string().min(1).max(64), values: z.array(knobValue).min(1).max(1000) }))
      .min(1)
      .max(2),
    seeds: z.number().int().min(1).max(100).default(3),
    parameterSet: z.string().min(1).max(100).optional(),
    /** Where the runs that are not stored yet run: the worker pool here, or a Slurm job array (sbatch on PATH). */
    on: runOn,
    sbatch: sbatchOptions,
  })
    .refine(
      (s) => s.vary.reduce((n, v) => n * v.values.length, 1) * s.seeds <= MAX_SWEEP_RUNS,
      { message: `a sweep is at most ${MAX_SWEEP_RUNS.toLocaleString('en-US')} runs (grid points × seeds): narrow the ranges, or run it with rxlab sweep`, path: ['vary'] },
    )
    // the same knob on two axes: the second overwrote the first in every point, so its values were
    // never run and each point was listed twice (the CLI refuses "--vary K given twice" likewise)
    .refine((s) => s.vary.length < 2 || s.vary[0]?.key !== s.vary[1]?.key, { message: 'a knob can be varied on one axis only', path: ['vary', 1, 'key'] })
    .refine((s) => !s.vary.some((v) => v.key in s.set), { message: 'a varied knob cannot also be held fixed in set', path: ['set'] }),
  // Whether this machine can submit to Slurm (sbatch, squeue, scancel on PATH).
  'slurm.status': z.strictObject({}),
  'measured.tables': z.strictObject({
    jobId: jobId.optional(),
    fileIds: z.array(id).min(1).max(1000),
    system: z.string().max(40).optional(),
    clockEvent: z.string().max(100).optional(),
    // the simulation's sizes: runs of these sizes are preferred where the logs mix sizes
    sizes: z
      .strictObject({
        messageBytes: z.number().int().positive().optional(),
        rrRequestBytes: z.number().int().positive().optional(),
        rrResponseBytes: z.number().int().positive().optional(),
      })
      .optional(),
  }),
  'runs.get': z.strictObject({ ids: z.array(id).max(10000) }),
  'runs.list': z.strictObject({ kind: z.enum(['simulated', 'measured']).optional(), limit: z.number().int().min(1).max(10000).default(500) }),
  // The stored-runs browser: one page of runs, filtered and sorted in SQL (a store can hold 450,000).
  'runs.query': z.strictObject({
    kind: z.enum(['simulated', 'measured']).optional(),
    /** null: runs without a system (measured records). */
    system: z.string().max(40).nullable().optional(),
    workload: z.string().max(40).optional(),
    modelVersion: z.string().max(100).optional(),
    importedFileId: id.optional(),
    /** Part of the label or of the log's file name, or a run id. */
    text: z.string().max(200).optional(),
    sort: z.enum(RUN_SORTS).default('id'),
    order: z.enum(['asc', 'desc']).default('desc'),
    offset: z.number().int().min(0).max(1e9).default(0),
    limit: z.number().int().min(1).max(1000).default(100),
    /** Also count runs per kind, system, workload and model version, for the filter menus. */
    facets: z.boolean().default(false),
  }),
  'imports.list': z.strictObject({}),
  'imports.get': z.strictObject({ id }),
  'reference.paper': z.strictObject({}),
  // parameterSet: the presets' values are built on this saved set (else the calibration to the paper)
  'sim.knobs': z.strictObject({ parameterSet: z.string().min(1).max(200).optional() }),
  'notebook.export': z.strictObject({ id }),
  'notebook.import': z.strictObject({ text: z.string().min(2).max(MAX_RXNB_CHARS) }),
  'params.list': z.strictObject({}),
  'params.delete': z.strictObject({ name: z.string().min(1).max(100) }),
  // Fit the model to your own measurements (the Compare cell's "Fit the model…", `rxlab sweep calibrate`).
  'params.calibrate': z.strictObject({
    jobId: jobId.optional(),
    name: z.string().trim().min(1, 'name must not be empty').max(100, 'name is at most 100 characters').refine(oneLine, 'name must be one line, without control characters'),
    sources: z.array(z.strictObject({ system: systemName, fileIds: z.array(id).min(1).max(1000) })).min(1).max(5),
    /** Evaluations of the closed-loop fit (each: the measured systems on two seeds). */
    maxEvals: z.number().int().min(5).max(2000).default(120),
    /** Overwrite a set of the same name. */
    replace: z.boolean().default(false),
    /** On Slurm the fit is one task, on as many CPUs as it is given (`rxlab sweep calibrate --targets`). */
    on: runOn,
    sbatch: sbatchOptions,
  }),
  // `rxlab calibrate --sensitivity` in the app: against the paper, or the measured rows of these logs.
  'sim.sensitivity': z.strictObject({
    jobId: jobId.optional(),
    seeds: z.number().int().min(1).max(10).default(3),
    /** local: elasticities at ×/÷ (1 + stepPct %) and the closure checks; morris: screening over ×/÷ range. */
    method: z.enum(['local', 'morris']).default('local'),
    stepPct: z.number().min(0.5).max(50).default(10),
    trajectories: z.number().int().min(2).max(50).default(8),
    range: z.number().min(1.05).max(10).default(2),
    /** Centre the analysis on this saved parameter set (a fit to your logs) instead of the calibration to the paper. */
    parameterSet: z.string().min(1).max(100).optional(),
    sources: z.array(z.strictObject({ system: systemName, fileIds: z.array(id).min(1).max(1000) })).min(1).max(5).optional(),
  }),
  // `rxlab calibrate --cross-validate` in the app: the paper calibration re-run without each fold's cells.
  'sim.crossValidate': z.strictObject({
    jobId: jobId.optional(),
    /** systems: leave one system out (5 fits); tables: leave one of Tables IV–VII out (4 fits). */
    folds: z.enum(['systems', 'tables']).default('systems'),
    /** Stage C evaluations per fold (1452 = the committed calibration's budget; whole generations of 11). */
    rounds: z.number().int().min(11).max(5000).default(1452),
    /** Evaluation seeds 1…N (the fits use their own). */
    seeds: z.number().int().min(1).max(10).default(3),
    /** On Slurm each fold is one task of a job array (`rxlab calibrate --cross-validate --slurm`). */
    on: runOn,
    sbatch: sbatchOptions,
  }),
  // `rxlab calibrate --profile` in the app: the objective along each knob with the others refitted.
  'sim.profile': z.strictObject({
    jobId: jobId.optional(),
    knobs: z
      .array(z.enum(FITTED_MULTIPLIER_NAMES))
      .min(1)
      .max(FITTED_MULTIPLIER_NAMES.length)
      .refine((k) => new Set(k).size === k.length, 'each multiplier at most once')
      .default([...PROFILE_KNOBS]),
    /** × the committed multiplier; the centre (1) is always added. */
    grid: z.array(z.number().min(0.1).max(10)).min(1).max(9).default([...PROFILE_GRID]),
    /** Stage C evaluations per point (a refinement from the committed fit; whole generations of 10). */
    rounds: z.number().int().min(11).max(2000).default(PROFILE_EVALS),
    /** On Slurm each multiplier's profile is one task of a job array (`rxlab calibrate --profile --slurm`). */
    on: runOn,
    sbatch: sbatchOptions,
  }),
  'store.check': z.strictObject({ quick: z.boolean().default(true) }),
  'store.salvage': z.strictObject({ jobId: jobId.optional() }),
  // Only the two automatic backups beside the store: a path from a caller (an HTTP client in browser
  // mode) is never taken. rxlab db restore --from reaches any file.
  'store.restore': z.strictObject({ which: z.enum(['newest', 'previous']).default('newest') }),
  'job.cancel': z.strictObject({ jobId }),
} as const;

export type Schemas = typeof schemas;
export type Method = keyof Schemas;
/** What a caller sends (defaults may be omitted). */
export type Input<M extends Method> = z.input<Schemas[M]>;
/** What a handler receives after validation (defaults filled in). */
export type Parsed<M extends Method> = z.output<Schemas[M]>;
export type CellInput = z.output<typeof cellInput>;
export type SimRunInput = z.output<typeof simRunInput>;
