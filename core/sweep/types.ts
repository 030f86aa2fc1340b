/** Types shared by the sweep engine, its backends (real simulator, test fakes) and the CLI. */
import type { IntervalSummary, SweepOutcome } from '../contract/index.js';

export type SystemName = 'Linux' | 'Xen' | 'LRO' | 'BO' | 'DA';
export type Workload = 'stream' | 'rr';
export type KnobValue = string | number | boolean;
export type KnobSet = Record<string, KnobValue>;

/** One simulation request: the same shape core/sim/run.ts `runSimulation` takes. */
export interface SimRequest {
  system: SystemName;
  set: KnobSet;
  seed: number;
  workload: Workload;
  /** A named/calibrated shared parameter set to start from instead of the default calibrated one. */
  parameterSet?: Record<string, KnobValue>;
}

/** The part of a RunResult the sweep bookkeeping relies on; the rest is stored as the run's detail. */
export interface SimResultLike {
  model_version: string;
  /** The full resolved parameter set (defaults filled in): part of the cache key. */
  parameters: Record<string, unknown>;
  [k: string]: unknown;
}

/**
 * What the sweep engine needs from the simulator. The real one (backend.ts) wraps core/sim;
 * unit tests of the bookkeeping use a tiny fake.
 */
/** How far the requests of one run() call are, in runs (fractional: 2.45 = two done, the rest 45 % along between them). */
export type PartialProgress = (runsDone: number) => void;

export interface SimBackend {
  /** The model version that `run` will stamp on its results. */
  modelVersion(): string;
  /** The full resolved parameter set `run` will report for this request (must equal result.parameters). */
  resolve(req: SimRequest): Record<string, unknown>;
  /** Runs the requests (in parallel where possible); results in request order. */
  run(reqs: SimRequest[], opts: { signal?: AbortSignal; onPartial?: PartialProgress }): Promise<SimResultLike[]>;
  /** How many requests run at once (pool threads); batch sizes follow it. */
  concurrency(): number;
}

export interface VarySpec {
  key: string;
  values: KnobValue[];
}

export interface SequentialSpec {
  /** Metric whose interval decides (default throughput_mbps). */
  metric: string;
  /** Stop adding seeds to a point once halfWidth ≤ pct/100 · |mean|. */
  halfWidthPct: number;
  /** Never more than this many seeds per point. */
  maxSeeds: number;
}

export interface SweepSpec {
  system: SystemName;
  workload: Workload;
  set: KnobSet;
  vary: VarySpec[];
  /** Seeds per point (seed values seedBase … seedBase+seeds-1); the minimum in sequential mode. */
  seeds: number;
  seedBase?: number;
  sequential?: SequentialSpec;
  /** Base parameter set for every point (e.g. one fitted to the user's logs), else the calibrated one. */
  parameterSet?: Record<string, KnobValue>;
}

export interface SweepOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /**
   * Also within runs: runs done as a fraction (3.45 of 12 = three stored, the running ones 45 % along
   * in all), read four times a second while runs are in flight — for long runs, whose whole-run
   * count would stand still for minutes. Called at the start, after each batch and at the end as
   * onProgress is, never lower than before: a caller can use it alone.
   */
  onRunProgress?: (runsDone: number, total: number) => void;
  onWarning?: (message: string) => void;
  /** Requests per saved batch (default: the backend's concurrency). */
  batchSize?: number;
  /** Batches in flight at once (default 2, so the pool never idles at a batch boundary). */
  inflight?: number;
  /** Label stored on new runs. */
  label?: string;
  /**
   * Stores a finished batch and gives its run ids and cache keys, in order (default: saveResults on
   * the engine's connection, on this thread). The API's handlers save large results in a worker.
   */
  save?: (items: { req: SimRequest; result: SimResultLike }[], label: string) => Promise<{ ids: number[]; keys: string[] }>;
}

export interface SweepPointDetail {
  values: KnobSet;
  seeds: number[];
  runIds: number[];
  metrics: Record<string, IntervalSummary>;
  /** Sequential mode: whether the target half-width was reached. */
  converged?: boolean;
}

/** The engine's result; the handler adds the varied knobs' specs (varySpecs) for the notebook. */
export interface SweepResult extends Omit<SweepOutcome, 'varySpecs'> {
  points: SweepPointDetail[];
  /** Runs simulated by this call (the rest came from the store). */
  simulated: number;
  sequential?: SequentialSpec;
}
