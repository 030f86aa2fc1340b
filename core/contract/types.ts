/** Result types of the rxlab API (plain JSON; shared by every host and by the renderer as types only). */
import type { CELL_KINDS } from './schemas.js';

export type CellKind = (typeof CELL_KINDS)[number];
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface AppInfo {
  appVersion: string;
  modelVersion: string;
  dbPath: string;
  host: 'electron' | 'browser' | 'cli';
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
export interface ApiError {
  code: 'bad-request' | 'not-found' | 'conflict' | 'cancelled' | 'failed' | 'unauthorized';
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
}

export interface ParameterSetSummary {
  name: string;
  modelVersion: string;
  createdAt: string;
  params: Record<string, string | number | boolean>;
  report: unknown;
}
