/** Result types of the rxlab API (plain JSON; shared by every host and by the renderer as types only). */
import type { CELL_KINDS } from './schemas.js';
import type { PaperTables } from '../reference/paper.js';
import type { KnobAxisSpec } from './metric-labels.js';
export type { KnobAxisSpec };

export type CellKind = (typeof CELL_KINDS)[number];
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface AppInfo {
  appVersion: string;
  modelVersion: string;
  dbPath: string;
  host: 'electron' | 'browser' | 'cli';
}

/** The database file's health (store.check): SQLite's own check, run on a separate read-only connection. */
export interface StoreHealth {
  file: string;
  ok: boolean;
  /** SQLite's findings, at most 20 ("Tree 8 page 65 cell 3: invalid page number …"). */
  problems: string[];
  /** Rows whose parent row is missing, per table. */
  orphans: Record<string, number>;
  /** What to do about it, with the commands spelled out; null when ok. */
  advice: string | null;
  ms: number;
  /** The newest automatic backup beside the file (taken at start, at most once a day, only of a sound file). */
  backup: { file: string; at: string; bytes: number } | null;
  /** The one before it (the rotation keeps two): older, for when the newest already holds a mistake. */
  previousBackup: { file: string; at: string; bytes: number } | null;
  /** True when this check wrote it. */
  backupWritten: boolean;
  /** Why a due backup could not be written (a full disk…); null otherwise. */
  backupError: string | null;
}

/** store.salvage: every readable row of the damaged store copied into a new file beside it. */
export interface StoreSalvage {
  out: string;
  tables: { table: string; copied: number; unreadable: string[]; rejected: number; firstRejection?: string }[];
  repaired: string[];
  check: string;
  ms: number;
}

/** store.restore: the store file now holds a backup; the file it replaced is kept beside it. */
export interface StoreRestore {
  file: string;
  from: string;
  fromAt: string;
  keptAs: string | null;
}

export interface NotebookSummary {
  id: number;
  title: string;
  createdAt: string;
  updatedAt: string;
  cellCount: number;
  deletedAt: string | null;
}

export interface Cell {
  id: string;
  kind: CellKind;
  config: Record<string, unknown>;
  output: unknown;
  stale: boolean;
  updatedAt: string;
}

export interface Notebook extends NotebookSummary {
  cells: Cell[];
  /** How many times the cells have been saved; notebook.save names the one it started from. */
  revision: number;
}

/** Provenance recorded on every result. */
export interface Provenance {
  appVersion: string;
  modelVersion: string | null;
  parameters: Record<string, unknown>;
  seed: number | null;
  inputSha256: string | null;
  createdAt: string;
}

export interface StoredRun {
  id: number;
  kind: 'simulated' | 'measured';
  system: string | null;
  workload: string | null;
  label: string | null;
  provenance: Provenance;
  metrics: Record<string, number | null>;
  /** The full result document (simulated RunResult or the imported record), for tables and plots. */
  detail: unknown;
  importedFileId: number | null;
}

/** One metric value as stored, with its unit ("10^6bits/s", "Mbit/s", …; null when none was given). */
export interface MetricCell {
  value: number | null;
  unit: string | null;
}

/** A run as the stored-runs browser lists it: no parameters or detail (runs.get has those). */
export interface RunListRow {
  id: number;
  kind: 'simulated' | 'measured';
  system: string | null;
  workload: string | null;
  label: string | null;
  seed: number | null;
  modelVersion: string | null;
  createdAt: string;
  importedFileId: number | null;
  /** The imported log's file name (measured runs). */
  fileName: string | null;
  /** The list's metrics that the run has (RUN_LIST_METRICS in core/store/run-query.ts). */
  metrics: Record<string, MetricCell>;
}

export interface RunFacet {
  value: string | null;
  count: number;
}

/** One page of runs.query: `total` runs match, `rows` are those from `offset` on. */
export interface RunQueryPage {
  total: number;
  offset: number;
  limit: number;
  rows: RunListRow[];
  /** Counts over the whole store (not the filters), when asked for. */
  facets: { kinds: RunFacet[]; systems: RunFacet[]; workloads: RunFacet[]; modelVersions: RunFacet[] } | null;
  ms: number;
}

export interface ImportedFileSummary {
  id: number;
  sha256: string;
  fileName: string;
  sizeBytes: number;
  tool: string;
  format: string;
  parserVersion: string;
  warnings: string[];
  importedAt: string;
}

export interface ImportOutcome {
  file: ImportedFileSummary;
  runIds: number[];
  duplicate: boolean;
  document: unknown;
}

export interface SimRunOutcome {
  runs: StoredRun[];
  /** How many were served from the store (same model version, parameters and seed). */
  cached: number;
}

/** Events pushed to clients (IPC webContents.send, HTTP server-sent events). */
export type ServiceEvent =
  | { type: 'progress'; jobId: string; done: number; total: number; message?: string }
  | { type: 'job-finished'; jobId: string; ok: boolean; error?: string }
  | { type: 'notebooks-changed' };

/** The result envelope every host returns (after Signal's sql channel). */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };
export type ApiErrorCode = 'bad-request' | 'not-found' | 'conflict' | 'edit-conflict' | 'cancelled' | 'failed' | 'unauthorized';
export interface ApiError {
  code: ApiErrorCode;
  message: string;
  /** zod issues, with the path of each bad field. */
  issues?: { path: string; message: string }[];
}

/** Mean and 95 % Student-t interval over seeds (or repeated measured runs). */
export interface IntervalSummary {
  mean: number;
  lo: number;
  hi: number;
  halfWidth: number;
  n: number;
}

export interface SweepPoint {
  /** The varied knobs' values at this point, e.g. {flush_every_polls: 2}. */
  values: Record<string, string | number | boolean>;
  runIds: number[];
  /** Per scalar metric (e.g. "throughput_mbps", "flush_latency_us.mean"): mean and interval over seeds. */
  metrics: Record<string, IntervalSummary>;
}

export interface SweepOutcome {
  system: string;
  workload: string;
  vary: string[];
  seeds: number;
  points: SweepPoint[];
  /** Points served from the store instead of simulated again. */
  cachedRuns: number;
  modelVersion: string;
  /**
   * Each varied knob's unit and meaning (core/sim/params.ts), so its chart in the notebook and in the
   * report labels the axis "flush_timeout_us — aggregate age that triggers a flush (µs)"
   * (metric-labels.ts, sweepAxisLabel). Sweeps stored before this field have none: the bare name.
   */
  varySpecs: Record<string, KnobAxisSpec>;
  /** With on: 'slurm', the job that simulated the runs that were missing (absent when none were). */
  slurm?: { job: string; runs: number; folder: string };
}

/** A simulator knob or cost parameter, with its unit, range and meaning (from core/sim/params.ts). */
export interface KnobSpec {
  name: string;
  kind: 'switch' | 'enum' | 'int' | 'number';
  unit: string;
  doc: string;
  min?: number;
  max?: number;
  values?: readonly string[];
  /** Calibration group for cost parameters; absent for plain knobs. */
  group?: string;
  /** The value in the default (calibrated) parameter set. */
  default: string | number | boolean;
  /**
   * The value each system's preset gives it (the parameter set asked for, else the calibrated one,
   * then the system's switches): what a run uses when the knob is not set, so a knob added to a cell
   * starts there.
   */
  presets: Record<'Linux' | 'Xen' | 'LRO' | 'BO' | 'DA', string | number | boolean>;
}

export interface ParameterSetSummary {
  name: string;
  modelVersion: string;
  createdAt: string;
  params: Record<string, string | number | boolean>;
  report: unknown;
}

/** One cell of the fit's report: the target (your measurement) against the simulation. */
export interface FitCell {
  table: 'IV' | 'V' | 'VI' | 'VII';
  system: string;
  metric: string;
  target: number;
  simulated: number | null;
  errorPct: number | null;
  withinTolerance: boolean;
}

/** params.calibrate: the model fitted to your measurements, before and after, and the saved set. */
export interface ParamsCalibration {
  name: string;
  before: FitCell[];
  after: FitCell[];
  /** Each fitted cost group beside the calibration to the paper, both × prior (geometric mean over the group's costs). */
  groups: { group: string; paper: number; yours: number }[];
  objective: number;
  evaluations: number;
  notes: string[];
  /** The saved set (choose it under Parameters in a Simulation or Sweep cell), or null with saveError. */
  saved: { name: string; modelVersion: string; createdAt: string } | null;
  saveError?: string;
  /** With on: 'slurm', the job whose task ran the fit. */
  slurm?: SlurmRun;
}

/** One table cell of a sensitivity analysis or cross-validation: its target (the paper's or your measurement) and the model's value. */
export interface SensitivityCellBase {
  table: 'IV' | 'V' | 'VI' | 'VII';
  system: string;
  metric: string;
  label: string;
  paper: number;
  simulated: number | null;
  error_pct: number | null;
  tolerance_pct: number;
  within_tolerance: boolean;
}

/**
 * sim.sensitivity: `rxlab calibrate --sensitivity --json` (core/sim/calibrate/sensitivity.ts
 * SensitivityReport, spelled out for the renderer; the handler's return type is checked against it),
 * against the paper or against your measured rows, plus what the target was.
 */
export interface SensitivityOutcome {
  method: 'local';
  /** The saved parameter set the analysis is centred on (absent: the calibration to the paper). */
  parameterSet?: string;
  model_version: string;
  seeds: number[];
  step: number;
  knobs: string[];
  within_tolerance: number;
  cells: (SensitivityCellBase & { elasticity: Record<string, number | null> })[];
  closures: {
    cell: string;
    error_pct: number;
    single: (SensitivityMove & { knob: string }) | null;
    joint: SensitivityMove | null;
  }[];
  /** "the paper" or "your measured Xen, LRO rows". */
  target: string;
  notes: string[];
}

/** sim.sensitivity with method "morris": `rxlab calibrate --sensitivity --morris R --json` (core/sim/calibrate/morris.ts). */
export interface MorrisOutcome {
  method: 'morris';
  /** The saved parameter set the analysis is centred on (absent: the calibration to the paper). */
  parameterSet?: string;
  model_version: string;
  seeds: number[];
  trajectories: number;
  range: number;
  knobs: string[];
  cells: (SensitivityCellBase & { effects: Record<string, { mu_star: number; mu: number; sigma: number; n: number } | null> })[];
  target: string;
  notes: string[];
}

/** Where a Compare-cell diagnostic ran when it ran on Slurm: the job, its folder and the #SBATCH options given (so the panel can repeat it). */
export interface SlurmRun {
  job: string;
  folder: string;
  sbatch: string[];
}

/**
 * sim.crossValidate: `rxlab calibrate --cross-validate --json` (core/sim/calibrate/holdout.ts
 * CrossValidationReport, spelled out for the renderer; the handler's return type is checked against it).
 */
export interface CrossValidationOutcome {
  model_version: string;
  /** 'systems' or 'tables' (or a CLI --holdout spec). */
  folds_by: string;
  seeds: number[];
  /** Stage C evaluations per fold. */
  rounds: number;
  /** The committed calibration's cost groups × prior. */
  in_sample_groups: Record<string, number>;
  folds: {
    fold: string;
    evaluations: number;
    objective: number;
    groups: Record<string, number>;
    fitted_within: number;
    fitted_cells: number;
    /** Labels of the cells it was fitted on that end outside tolerance. */
    fitted_misfits: string[];
    held_out: SensitivityCellBase[];
  }[];
  /** Every paper cell in table order: in sample (the committed calibration) and held out (its fold's fit). */
  cells: (SensitivityCellBase & { fold: string | null; held_out_simulated: number | null; held_out_error_pct: number | null; held_out_within: boolean | null })[];
  /** Over the cells a fold held out: within tolerance and median |error| (%), in sample and held out. */
  summary: { cells: number; in_sample_within: number; held_out_within: number; in_sample_median_abs_pct: number | null; held_out_median_abs_pct: number | null };
  /** With on: 'slurm', the job array whose tasks fitted the folds. */
  slurm?: SlurmRun;
}

/**
 * sim.profile: `rxlab calibrate --profile --json` (core/sim/calibrate/profile.ts ProfileReport,
 * spelled out for the renderer; the handler's return type is checked against it).
 */
export interface ProfileOutcome {
  model_version: string;
  /** Stage C evaluations per point. */
  rounds: number;
  /** The calibration's confirm seeds, which every objective is on. */
  seeds: number[];
  /** A side rising by less than this above the centre reads as flat (one misfit's penalty). */
  flat_within: number;
  profiles: {
    knob: string;
    points: {
      /** × the committed multiplier. */
      factor: number;
      /** × the stage-B set, as the calibration reports its multipliers. */
      multiplier: number;
      /** Of the refit, on the confirm seeds (the calibration's own objective: comparable across points). */
      objective: number;
      within_tolerance: number;
      cells: number;
      /** Cells outside tolerance at this point. */
      misfits: string[];
    }[];
    /** pinned, flat on a side, or better away from the committed fit. */
    verdict: string;
  }[];
  /** With on: 'slurm', the job array whose tasks profiled the multipliers. */
  slurm?: SlurmRun;
}

export interface SensitivityMove {
  multipliers: Record<string, number>;
  predicted: { target_error_pct: number; within_tolerance: number };
  simulated: { target_error_pct: number | null; within_tolerance: number; newly_outside: string[]; newly_inside: string[] };
}

/** A Student-t interval as core/stats/interval.ts computes it (sd with the n − 1 denominator). */
export interface TInterval extends IntervalSummary {
  sd: number;
}

/**
 * sim.reproduce: what `rxlab reproduce --json` prints (core/sim/reproduce.ts ReproduceResult, spelled
 * out here because that module pulls Node code into the renderer's type check; the handler's return
 * type is checked against this one by the compiler).
 */
export interface ReproduceOutcome {
  model_version: string;
  seeds: number[];
  systems: Record<string, ReproduceSystem>;
  paper: PaperTables;
  /** Every published cell beside the simulated value, its error and tolerance. */
  cells: {
    table: 'IV' | 'V' | 'VI' | 'VII';
    system: string;
    metric: string;
    paper: number;
    simulated: number | null;
    error_pct: number | null;
    tolerance_pct: number;
    within_tolerance: boolean;
  }[];
  findings: { text: string; holds: boolean; detail: string }[];
  /** One plain sentence per cell outside its tolerance. */
  misfits: string[];
}

export interface ReproduceSystem {
  throughput_mbps: number;
  cycles_per_byte: { driver: number | null; guest: number | null; total: number | null };
  lro_rate: number | null;
  rr_transactions_per_s: number;
  flush_latency_us: { mean: number; p50: number; p99: number } | null;
  acks_per_segment: number;
  cpu_busy_share: { dom0: number; guest: number; xen: number; idle: number };
  intervals: {
    throughput_mbps: TInterval;
    driver: TInterval | null;
    guest: TInterval | null;
    total: TInterval | null;
    lro_rate: TInterval | null;
    rr_transactions_per_s: TInterval;
  };
}
